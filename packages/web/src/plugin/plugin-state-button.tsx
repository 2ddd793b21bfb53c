import { useState } from 'preact/hooks';
import { registryClient } from '../api/registry-api.js';

/** Enables or disables a LOCAL plugin (`POST /plugins/{name}/enable|disable`). */
export function PluginStateButton({
  name,
  enabled,
  onDone,
  onError,
}: {
  readonly name: string;
  readonly enabled: boolean;
  readonly onDone: (message: string) => void;
  readonly onError: (error: unknown) => void;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      class="button"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        const client = registryClient();
        (enabled ? client.disablePlugin(name) : client.enablePlugin(name)).then(
          () => {
            setBusy(false);
            onDone(enabled ? `Disabled ${name}.` : `Enabled ${name}.`);
          },
          (error: unknown) => {
            setBusy(false);
            onError(error);
          },
        );
      }}
    >
      {enabled ? 'Disable plugin' : 'Enable plugin'}
    </button>
  );
}
