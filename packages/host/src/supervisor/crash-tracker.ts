/** When a crashing plugin is restarted and when it is given up on. */
export interface CrashPolicy {
  /** This many crashes within `windowMs` quarantine the plugin. */
  readonly maxCrashes: number;
  readonly windowMs: number;
  /** Wait before the first restart after a crash; doubles with each further recent crash. */
  readonly backoffInitialMs: number;
  /** Longest wait before a restart. */
  readonly backoffMaxMs: number;
}

/** Five crashes in a minute quarantine a plugin; restarts wait 250 ms, 500 ms, 1 s, … up to 10 s. */
export const DEFAULT_CRASH_POLICY: CrashPolicy = Object.freeze({
  maxCrashes: 5,
  windowMs: 60_000,
  backoffInitialMs: 250,
  backoffMaxMs: 10_000,
});

/** Counts one plugin's recent crashes and turns them into a restart delay or a quarantine. */
export class CrashTracker {
  readonly policy: CrashPolicy;
  #crashTimes: number[] = [];
  #quarantined = false;

  constructor(policy: CrashPolicy = DEFAULT_CRASH_POLICY) {
    this.policy = policy;
  }

  /** Records a crash (or failed start) at `now`; returns true when it quarantined the plugin. */
  record(now: number): boolean {
    this.#crashTimes = [...this.#recent(now), now];
    if (this.#crashTimes.length >= this.policy.maxCrashes) this.#quarantined = true;
    return this.#quarantined;
  }

  /** True once too many crashes happened within the window; stays true until `reset`. */
  get quarantined(): boolean {
    return this.#quarantined;
  }

  /** Crashes within the window ending at `now`. */
  recentCount(now: number): number {
    return this.#recent(now).length;
  }

  /** Milliseconds to wait from `now` before the next start (0 when no recent crash). */
  backoffMs(now: number): number {
    const recent = this.#recent(now);
    const last = recent.at(-1);
    if (last === undefined) return 0;
    const delay = Math.min(
      this.policy.backoffInitialMs * 2 ** (recent.length - 1),
      this.policy.backoffMaxMs,
    );
    return Math.max(0, last + delay - now);
  }

  /** Forgets every crash and lifts the quarantine. */
  reset(): void {
    this.#crashTimes = [];
    this.#quarantined = false;
  }

  #recent(now: number): number[] {
    return this.#crashTimes.filter((time) => now - time < this.policy.windowMs);
  }
}
