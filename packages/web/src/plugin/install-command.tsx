import { useState } from 'preact/hooks';
import { copyText } from '../ui/copy-text.js';

/** Characters a shell word may hold unquoted. */
const SHELL_SAFE = /^[\w@%+=:,./^~-]+$/;

/** `word` quoted for a POSIX shell when it needs to be (names come from untrusted repositories). */
export function shellWord(word: string): string {
  if (SHELL_SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The CLI command that installs `name` at `version` (or its latest). */
export function installCommandText(name: string, version: string | undefined): string {
  return `plugboard install ${shellWord(version === undefined ? name : `${name}@${version}`)}`;
}

/** The install command with a copy button that says when it copied. */
export function InstallCommand({
  name,
  version,
}: {
  readonly name: string;
  readonly version: string | undefined;
}) {
  const command = installCommandText(name, version);
  const [status, setStatus] = useState('');
  return (
    <div class="install">
      <h2 id="install-heading">Install</h2>
      <div class="install-row">
        <pre class="install-command" aria-labelledby="install-heading">
          <code>{command}</code>
        </pre>
        <button
          type="button"
          class="button"
          onClick={() => {
            void copyText(command).then((copied) =>
              setStatus(
                copied
                  ? 'Copied the install command.'
                  : 'Copying is not allowed here; select the command instead.',
              ),
            );
          }}
        >
          Copy
        </button>
      </div>
      <p class="install-status" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
