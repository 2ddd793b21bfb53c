import type { PublishedVersion } from '@plugboard/client';
import { useRef, useState } from 'preact/hooks';
import { uploadPackage, type PublishUpload, type UploadProgress } from '../api/publish-upload.js';
import { Link } from '../routing/link.js';
import { pluginHref, signInHref } from '../routing/page-paths.js';
import { hasRole } from '../session/session-store.js';
import { useSession } from '../session/use-session.js';
import { ErrorNotice, Notice } from '../ui/notice.js';
import { formatBytes, shortDigest } from '../plugin/versions-table.js';

type PublishState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'uploading'; readonly file: string; readonly progress: UploadProgress }
  | { readonly kind: 'done'; readonly published: PublishedVersion }
  | { readonly kind: 'failed'; readonly file: string; readonly error: unknown };

/**
 * Publishing a plugin package (a gzip tar with its manifest): drop it on the zone or choose it
 * with the file picker; a progress bar follows the upload.
 */
export function PublishPage() {
  const session = useSession();
  const [state, setState] = useState<PublishState>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);
  const upload = useRef<PublishUpload | undefined>(undefined);

  if (!hasRole(session, 'publisher')) {
    return (
      <section aria-labelledby="publish-heading">
        <h1 id="publish-heading" tabIndex={-1}>
          Publish
        </h1>
        <Notice kind="info">
          Publishing needs a token with the publisher role.{' '}
          <Link href={signInHref('/publish')}>Sign in</Link>
        </Notice>
      </section>
    );
  }

  const start = (file: File) => {
    setState({ kind: 'uploading', file: file.name, progress: { loaded: 0, total: file.size } });
    const running = uploadPackage(file, (progress) =>
      setState({ kind: 'uploading', file: file.name, progress }),
    );
    upload.current = running;
    running.done.then(
      (published) => setState({ kind: 'done', published }),
      (error: unknown) => setState({ kind: 'failed', file: file.name, error }),
    );
  };
  const busy = state.kind === 'uploading';
  return (
    <section aria-labelledby="publish-heading">
      <h1 id="publish-heading" tabIndex={-1}>
        Publish a package
      </h1>
      <p>
        A plugin package is a <span class="mono">.tgz</span> holding{' '}
        <span class="mono">manifest.json</span> (or <span class="mono">manifest.yml</span>) with a
        SemVer <span class="mono">version</span>, and the plugin’s files. It is published to your
        domain’s LOCAL repository.
      </p>
      <div
        class={`drop-zone${dragging ? ' drop-zone-active' : ''}`}
        data-testid="drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          if (event.dataTransfer !== null) event.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          const file = event.dataTransfer?.files[0];
          if (file !== undefined && !busy) start(file);
        }}
      >
        <p>Drop a package here, or choose one:</p>
        <label for="publish-file">Package file</label>
        <input
          id="publish-file"
          type="file"
          accept=".tgz,.tar.gz,application/gzip"
          disabled={busy}
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file !== undefined) start(file);
            event.currentTarget.value = '';
          }}
        />
      </div>
      {state.kind === 'uploading' ? (
        <div class="upload">
          <label for="publish-progress">
            Uploading {state.file}: {formatBytes(state.progress.loaded)} of{' '}
            {formatBytes(state.progress.total)}
          </label>
          <progress
            id="publish-progress"
            max={Math.max(1, state.progress.total)}
            value={state.progress.loaded}
          />
          <button type="button" class="button" onClick={() => upload.current?.cancel()}>
            Cancel
          </button>
        </div>
      ) : null}
      {state.kind === 'done' ? (
        <Notice kind="success">
          Published{' '}
          <Link href={pluginHref(state.published.name)}>
            {state.published.name}@{state.published.version}
          </Link>{' '}
          ({formatBytes(state.published.size)},{' '}
          <span class="mono">{shortDigest(state.published.digest)}</span>)
          {state.published.warnings.length === 0 ? null : (
            <ul>
              {state.published.warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          )}
        </Notice>
      ) : null}
      {state.kind === 'failed' ? (
        <ErrorNotice error={state.error} action={`Publishing ${state.file} failed`} />
      ) : null}
    </section>
  );
}
