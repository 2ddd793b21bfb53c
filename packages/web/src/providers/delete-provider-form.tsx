import type { ProviderView } from '@plugboard/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { inventoryClient } from '../api/registry-api.js';
import { ErrorNotice } from '../ui/notice.js';

/**
 * Deleting a provider with its runs and resources, after a confirmation: "Delete provider…" opens
 * the confirmation (focus moves to its safe choice; Escape or "Keep provider" closes it and
 * returns focus; focus stays in the form while the request runs). The server refuses (409
 * CONFLICT) while a run is pending or running; that answer is shown in the confirmation.
 */
export function DeleteProviderForm({
  provider,
  onDeleted,
}: {
  readonly provider: ProviderView;
  readonly onDeleted: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const opener = useRef<HTMLButtonElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open) keep.current?.focus();
    else if (wasOpen.current) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);
  const close = () => {
    setOpen(false);
    setError(undefined);
  };
  if (!open) {
    return (
      <div class="form-actions">
        <button ref={opener} type="button" class="button" onClick={() => setOpen(true)}>
          Delete provider…
        </button>
      </div>
    );
  }
  return (
    <form
      class="action-form danger-form"
      aria-labelledby="delete-provider-heading"
      onKeyDown={(event) => {
        if (event.key === 'Escape') close();
      }}
      onSubmit={(event) => {
        event.preventDefault();
        if (busy) return;
        setBusy(true);
        setError(undefined);
        inventoryClient()
          .deleteProvider(provider.id)
          .then(onDeleted, (failure: unknown) => {
            setBusy(false);
            setError(failure);
          });
      }}
    >
      <h3 id="delete-provider-heading">Delete {provider.name}?</h3>
      <p>
        The provider is deleted with its collection runs and the resources they found. This cannot
        be undone. A provider with a pending or running run cannot be deleted until the run ends or
        is canceled.
      </p>
      {error === undefined ? null : (
        <ErrorNotice error={error} action="The provider was not deleted" />
      )}
      <div class="form-actions">
        {/* aria-disabled, not disabled: a disabled button drops the focus out of the form. */}
        <button type="submit" class="button button-danger" aria-disabled={busy}>
          Delete provider
        </button>
        <button ref={keep} type="button" class="button" onClick={close}>
          Keep provider
        </button>
      </div>
    </form>
  );
}
