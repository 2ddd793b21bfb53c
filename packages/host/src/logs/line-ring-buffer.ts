/** How many stderr lines each plugin process keeps for error messages unless configured. */
export const DEFAULT_STDERR_TAIL_LINES = 50;

/**
 * Keeps the last `capacity` lines and forgets older ones, so memory stays bounded however much a
 * plugin writes.
 */
export class LineRingBuffer {
  readonly capacity: number;
  readonly #lines: (string | undefined)[];
  #next = 0;
  #count = 0;

  constructor(capacity = DEFAULT_STDERR_TAIL_LINES) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.#lines = new Array<string | undefined>(capacity);
  }

  /** Number of lines held now (never more than `capacity`). */
  get size(): number {
    return this.#count;
  }

  /** Appends a line, dropping the oldest when full. */
  push(line: string): void {
    this.#lines[this.#next] = line;
    this.#next = (this.#next + 1) % this.capacity;
    this.#count = Math.min(this.#count + 1, this.capacity);
  }

  /** The lines held, oldest first. */
  lines(): string[] {
    const start = (this.#next - this.#count + this.capacity) % this.capacity;
    const out: string[] = [];
    for (let i = 0; i < this.#count; i += 1) {
      const line = this.#lines[(start + i) % this.capacity];
      if (line !== undefined) out.push(line);
    }
    return out;
  }

  /** The last lines joined for an error message, or `(no stderr output)`. */
  tail(maxLines = this.capacity): string {
    const lines = this.lines().slice(-maxLines);
    return lines.length === 0 ? '(no stderr output)' : lines.join('\n');
  }
}
