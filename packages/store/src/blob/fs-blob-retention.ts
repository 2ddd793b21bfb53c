import { mkdir, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from './fs-errors.js';

const HEX_NAME = /^[0-9a-f]{64}$/;

/**
 * Retention marks of `FsBlobStore`: an empty file `<root>/retained/<hex>` whose modification time
 * is the last use of a blob that no version references but that something still wants (a REMOTE
 * artifact copy). Marks live beside the blobs, so they survive restarts and are shared by every
 * replica using the same blob directory.
 */
export class RetentionMarks {
  constructor(readonly directory: string) {}

  /** Records `at` (default now) as the blob's last use. */
  async mark(hex: string, at: Date = new Date()): Promise<void> {
    const path = join(this.directory, hex);
    try {
      await utimes(path, at, at);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
      await mkdir(this.directory, { recursive: true });
      await writeFile(path, '');
      await utimes(path, at, at);
    }
  }

  /** When the blob was last marked as used, or undefined when it never was (or the mark went). */
  async lastUse(hex: string): Promise<number | undefined> {
    try {
      return (await stat(join(this.directory, hex))).mtimeMs;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * Removes the mark when its last use is at or before `cutoff`; a mark refreshed meanwhile stays
   * (its blob is being stored again).
   */
  async removeIfExpired(hex: string, cutoff: number): Promise<void> {
    const lastUse = await this.lastUse(hex);
    if (lastUse !== undefined && lastUse <= cutoff) {
      await rm(join(this.directory, hex), { force: true });
    }
  }

  /** Removes expired marks whose blob is gone; returns how many. */
  async removeOrphans(
    cutoff: number,
    blobExists: (hex: string) => Promise<boolean>,
  ): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return 0;
      throw error;
    }
    let removed = 0;
    for (const hex of names) {
      if (!HEX_NAME.test(hex)) continue;
      const lastUse = await this.lastUse(hex);
      if (lastUse === undefined || lastUse > cutoff || (await blobExists(hex))) continue;
      await rm(join(this.directory, hex), { force: true });
      removed += 1;
    }
    return removed;
  }
}
