import { useEffect, useRef, useState } from 'preact/hooks';
import { registryClient } from '../api/registry-api.js';
import { ErrorNotice } from '../ui/notice.js';

/** Longest yank reason the server keeps, in characters. */
const MAX_REASON_CHARS = 1000;

/**
 * The form that yanks a version (with a reason) or deprecates it (with a message). Focus moves
 * into it when it opens; Escape cancels.
 */
export function VersionActionForm({
  name,
  version,
  action,
  onDone,
  onCancel,
}: {
  readonly name: string;
  readonly version: string;
  readonly action: 'yank' | 'deprecate';
  readonly onDone: (message: string) => void;
  readonly onCancel: () => void;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), [version, action]);
  const label = action === 'yank' ? 'Reason (optional)' : 'Deprecation message';
  return (
    <form
      class="action-form"
      aria-label={`${action === 'yank' ? 'Yank' : 'Deprecate'} ${name}@${version}`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        setError(undefined);
        const client = registryClient();
        const call =
          action === 'yank'
            ? client.yankVersion(name, version, text.trim() === '' ? undefined : text.trim())
            : client.deprecateVersion(name, version, text.trim());
        call.then(
          () => onDone(action === 'yank' ? `Yanked ${version}.` : `Deprecated ${version}.`),
          (failure: unknown) => {
            setBusy(false);
            setError(failure);
          },
        );
      }}
    >
      <h3>
        {action === 'yank' ? 'Yank' : 'Deprecate'} <span class="mono">{version}</span>
      </h3>
      <p class="muted">
        {action === 'yank'
          ? 'A yanked version stays downloadable by its exact number, but ranges and latest skip it.'
          : 'Installs still pick a deprecated version and show this message.'}
      </p>
      <div class="field">
        <label for="version-action-text">{label}</label>
        <input
          ref={input}
          id="version-action-text"
          type="text"
          maxLength={MAX_REASON_CHARS}
          required={action === 'deprecate'}
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
        />
      </div>
      {error === undefined ? null : <ErrorNotice error={error} />}
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          {action === 'yank' ? 'Yank version' : 'Deprecate version'}
        </button>
        <button type="button" class="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
