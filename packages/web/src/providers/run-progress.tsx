import { useEffect, useRef, useState } from 'preact/hooks';
import { FINAL_RUN_STATES, type RunView } from '@plugboard/client';
import { inventoryClient } from '../api/registry-api.js';
import { Badge, type BadgeTone } from '../ui/badge.js';
import { ErrorNotice } from '../ui/notice.js';
import { CancelRunButton } from './cancel-run-button.js';

/** How often a running collection is asked for its progress, in milliseconds. */
export const RUN_POLL_INTERVAL_MS = 1000;

/** The badge tone of a run state. */
export function runTone(state: string): BadgeTone {
  if (state === 'completed') return 'good';
  if (state === 'failed') return 'bad';
  if (state === 'partial' || state === 'canceled') return 'warn';
  return 'info';
}

/** `found 3 · created 3 · …` of a run. */
export function runCounts(run: RunView): string {
  return (['found', 'created', 'updated', 'unchanged', 'removed', 'invalid'] as const)
    .filter((key) => key === 'found' || run[key] > 0)
    .map((key) => `${key} ${run[key]}`)
    .join(' · ');
}

/**
 * Live progress of one collection run, polled until it ends; `onFinished` is called once with
 * the final run (the page then refreshes its history and resources). With `canCancel`, a pending
 * or running run has a Cancel button; focus then moves to the run's status line, which announces
 * the canceled state when it comes.
 */
export function RunProgress({
  run: initial,
  canCancel = false,
  onFinished,
}: {
  readonly run: RunView;
  readonly canCancel?: boolean;
  readonly onFinished: (run: RunView) => void;
}) {
  const [run, setRun] = useState(initial);
  const [error, setError] = useState<unknown>(undefined);
  const [cancelError, setCancelError] = useState<unknown>(undefined);
  const status = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    // A run that had already ended when shown needs no polling (and changed nothing).
    if (FINAL_RUN_STATES.has(initial.state)) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      inventoryClient()
        .getRun(initial.id, { signal: controller.signal })
        .then(
          (next) => {
            if (controller.signal.aborted) return;
            setRun(next);
            setError(undefined);
            if (FINAL_RUN_STATES.has(next.state)) onFinished(next);
            else timer = setTimeout(poll, RUN_POLL_INTERVAL_MS);
          },
          (failure: unknown) => {
            if (controller.signal.aborted) return;
            // A failed poll (server restarting) is shown and retried: the run goes on without us.
            setError(failure);
            timer = setTimeout(poll, RUN_POLL_INTERVAL_MS * 3);
          },
        );
    };
    timer = setTimeout(poll, RUN_POLL_INTERVAL_MS / 2);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // One poller per run id; `onFinished` may change identity between renders.
  }, [initial.id]);
  const finished = FINAL_RUN_STATES.has(run.state);
  return (
    <div class="run-progress" data-run={run.id} data-state={run.state}>
      <p role="status" aria-live="polite" id={`run-status-${run.id}`} tabIndex={-1} ref={status}>
        Run <span class="mono">{run.id.slice(0, 8)}</span>:{' '}
        <Badge tone={runTone(run.state)}>{run.state}</Badge> — {runCounts(run)}
        {run.error === null ? '' : ` — ${run.error.code}: ${run.error.message}`}
      </p>
      {finished ? null : <progress aria-label="Collection in progress" />}
      {canCancel && !finished ? (
        <div class="run-actions">
          <CancelRunButton
            run={run}
            onRequested={(answer) => {
              setCancelError(undefined);
              // A poll that was already under way may answer the older state; keep the newer.
              setRun((previous) => (FINAL_RUN_STATES.has(previous.state) ? previous : answer));
              status.current?.focus();
            }}
            onError={setCancelError}
          />
        </div>
      ) : null}
      {cancelError === undefined ? null : (
        <ErrorNotice error={cancelError} action="The run was not canceled" />
      )}
      {error === undefined ? null : (
        <ErrorNotice error={error} action="Progress could not be read; retrying" />
      )}
    </div>
  );
}
