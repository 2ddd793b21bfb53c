import type { RunView } from '@plugboard/client';
import { useState } from 'preact/hooks';
import { inventoryClient } from '../api/registry-api.js';

/**
 * Cancels a pending or running collection run (`POST /runs/{id}/cancel`): a pending run ends at
 * once, a running one at its worker's next heartbeat, so the button says "Canceling…" until the
 * run has ended. Renders nothing for a run that has ended.
 */
export function CancelRunButton({
  run,
  onRequested,
  onError,
}: {
  readonly run: RunView;
  /** The run as the server answered the cancel. */
  readonly onRequested: (run: RunView) => void;
  readonly onError: (error: unknown) => void;
}) {
  const [busy, setBusy] = useState(false);
  if (run.state !== 'pending' && run.state !== 'running') return null;
  const requested = busy || run.cancel_requested;
  return (
    <button
      type="button"
      class="button button-small"
      disabled={requested}
      aria-describedby={`run-status-${run.id}`}
      onClick={() => {
        setBusy(true);
        inventoryClient()
          .cancelRun(run.id)
          .then(
            (answer) => {
              setBusy(false);
              onRequested(answer);
            },
            (failure: unknown) => {
              setBusy(false);
              onError(failure);
            },
          );
      }}
    >
      {requested ? 'Canceling…' : 'Cancel run'}
    </button>
  );
}
