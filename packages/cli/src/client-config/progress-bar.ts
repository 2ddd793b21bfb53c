/** Redraws at most this often, in milliseconds (a terminal does not need more). */
const REDRAW_INTERVAL_MS = 100;
const BAR_WIDTH = 30;

/** What a progress bar shows: bytes so far of a known or unknown total. */
export interface ProgressUpdate {
  readonly subject: string;
  readonly bytes: number;
  readonly total: number | undefined;
}

/**
 * A one-line progress bar for downloads and uploads, redrawn in place with `\r`. The CLI creates
 * one only when stderr is a terminal, so pipes and logs never see control characters.
 */
export class ProgressBar {
  #lastDraw = 0;
  #subject: string | undefined;

  constructor(private readonly write: (text: string) => void) {}

  update(progress: ProgressUpdate): void {
    const now = Date.now();
    const finished = progress.total !== undefined && progress.bytes >= progress.total;
    if (progress.subject !== this.#subject) {
      if (this.#subject !== undefined) this.write('\n');
      this.#subject = progress.subject;
    } else if (!finished && now - this.#lastDraw < REDRAW_INTERVAL_MS) {
      return;
    }
    this.#lastDraw = now;
    const done = formatBytes(progress.bytes);
    if (progress.total === undefined || progress.total === 0) {
      this.write(`\r${progress.subject} ${done}`);
    } else {
      const ratio = Math.min(1, progress.bytes / progress.total);
      const filled = Math.round(ratio * BAR_WIDTH);
      this.write(
        `\r${progress.subject} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${Math.round(ratio * 100)}% ${done}/${formatBytes(progress.total)}`,
      );
    }
    if (finished) {
      this.write('\n');
      this.#subject = undefined;
    }
  }
}

/** `1.5 MiB`-style sizes. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
