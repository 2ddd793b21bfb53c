/** Runs tasks with at most a given number in flight; the rest wait in call order. */
export type ConcurrencyLimit = <T>(task: () => Promise<T>) => Promise<T>;

/** Creates a `ConcurrencyLimit` letting `limit` tasks (at least one) run at once. */
export function createConcurrencyLimit(limit: number): ConcurrencyLimit {
  const max = Math.max(1, limit);
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so `running` never dips and lets a newcomer jump.
      const next = waiting.shift();
      if (next === undefined) running -= 1;
      else next();
    }
  };
}
