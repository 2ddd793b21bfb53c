import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SILENT_LOGGER, type HostLogger } from '../logs/host-logger.js';
import type { PluginLaunch } from '../plugin-launch.js';

/** Name of the cache file inside the cache directory. */
export const CAPABILITIES_CACHE_FILE = 'capabilities-cache.json';

const CACHE_FORMAT_VERSION = 1;

/** Entrypoints up to this size are hashed synchronously; larger ones are streamed. */
const SYNC_HASH_MAX_BYTES = 256 * 1024;

/** What identifies one build of a plugin executable: if any of it changes, ask again. */
export interface ExecutableFingerprint {
  /** The command line before `capabilities` (the executable, or node and the entrypoint). */
  readonly command: readonly string[];
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}

interface CacheEntry extends ExecutableFingerprint {
  /** The raw stdout of `capabilities`; parsed again on every read so parser fixes apply. */
  readonly output: string;
}

interface CacheFile {
  readonly version: number;
  readonly entries: Record<string, CacheEntry>;
}

/** Computes the fingerprint of a plugin's entrypoint file. */
export async function fingerprintExecutable(launch: PluginLaunch): Promise<ExecutableFingerprint> {
  const small = fingerprintSmallFile(launch.entrypoint);
  const taken = small ?? (await fingerprintLargeFile(launch.entrypoint));
  return { command: [launch.command, ...launch.args], path: launch.entrypoint, ...taken };
}

type FileFingerprint = Pick<ExecutableFingerprint, 'size' | 'mtimeMs' | 'sha256'>;

// Scripts and JS entrypoints are a few KiB: open, fstat, read and close on this thread take a few
// microseconds each, where the same four calls through libuv's 4-thread pool cost a round trip
// each and made a cached discovery of 1,000 plugins take 300+ ms. Larger files (Go binaries run
// to tens of MB) are left to the asynchronous path so they never block the event loop.
function fingerprintSmallFile(path: string): FileFingerprint | undefined {
  // O_NONBLOCK: opening a FIFO named as an entrypoint must not freeze the event loop; anything but
  // a regular file is left to the asynchronous path, as before.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > SYNC_HASH_MAX_BYTES) return undefined;
    return {
      size: info.size,
      mtimeMs: info.mtimeMs,
      sha256: createHash('sha256').update(readFileSync(fd)).digest('hex'),
    };
  } finally {
    closeSync(fd);
  }
}

async function fingerprintLargeFile(path: string): Promise<FileFingerprint> {
  const handle = await open(path, 'r');
  try {
    const info = await handle.stat();
    const hash = createHash('sha256');
    for await (const chunk of handle.createReadStream({ autoClose: false })) {
      hash.update(chunk as Buffer);
    }
    return { size: info.size, mtimeMs: info.mtimeMs, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

/** Options of a `CapabilitiesCache`. */
export interface CapabilitiesCacheOptions {
  /** Folder for the cache file; without it the cache lives in memory only. */
  readonly cacheDir?: string;
  readonly logger?: HostLogger;
}

/**
 * Remembers each plugin's `capabilities` output keyed by path, size, mtime and sha256 of the
 * executable, so discovering unchanged plugins again starts no process. Persisted as one JSON file
 * (written to a temporary file, then renamed) when a cache folder is given.
 */
export class CapabilitiesCache {
  readonly #file: string | undefined;
  readonly #logger: HostLogger;
  #entries: Map<string, CacheEntry> | undefined;
  #loading: Promise<Map<string, CacheEntry>> | undefined;
  #dirty = false;

  constructor(options: CapabilitiesCacheOptions = {}) {
    this.#file =
      options.cacheDir === undefined ? undefined : join(options.cacheDir, CAPABILITIES_CACHE_FILE);
    this.#logger = options.logger ?? SILENT_LOGGER;
  }

  /** The cached output for this exact build, or `undefined`. */
  async get(fingerprint: ExecutableFingerprint): Promise<string | undefined> {
    const entry = (await this.#load()).get(keyOf(fingerprint));
    if (entry === undefined) return undefined;
    const same =
      entry.size === fingerprint.size &&
      entry.mtimeMs === fingerprint.mtimeMs &&
      entry.sha256 === fingerprint.sha256;
    return same ? entry.output : undefined;
  }

  /** Remembers the output of one build (replacing what was known for the same command). */
  async set(fingerprint: ExecutableFingerprint, output: string): Promise<void> {
    (await this.#load()).set(keyOf(fingerprint), { ...fingerprint, output });
    this.#dirty = true;
  }

  /** Forgets one command's entry (e.g. when its output turned out invalid). */
  async delete(fingerprint: ExecutableFingerprint): Promise<void> {
    if ((await this.#load()).delete(keyOf(fingerprint))) this.#dirty = true;
  }

  /** Writes the cache file when something changed; no-op for an in-memory cache. */
  async save(): Promise<void> {
    if (this.#file === undefined || !this.#dirty || this.#entries === undefined) return;
    const body: CacheFile = {
      version: CACHE_FORMAT_VERSION,
      entries: Object.fromEntries(this.#entries),
    };
    const dir = join(this.#file, '..');
    await mkdir(dir, { recursive: true });
    const temp = `${this.#file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, `${JSON.stringify(body)}\n`, { mode: 0o600 });
    await rename(temp, this.#file);
    this.#dirty = false;
  }

  // Discovery asks for many plugins at once: all of them must wait for the one read of the file.
  #load(): Promise<Map<string, CacheEntry>> {
    this.#loading ??= this.#read().then((entries) => {
      this.#entries = entries;
      return entries;
    });
    return this.#loading;
  }

  async #read(): Promise<Map<string, CacheEntry>> {
    const entries = new Map<string, CacheEntry>();
    if (this.#file === undefined) return entries;
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.#logger.warn(
          { err: error, file: this.#file },
          'capabilities cache unreadable; ignored',
        );
      }
      return entries;
    }
    try {
      const parsed = JSON.parse(text) as Partial<CacheFile>;
      if (parsed.version !== CACHE_FORMAT_VERSION || typeof parsed.entries !== 'object') {
        throw new Error(`unknown cache format version ${String(parsed.version)}`);
      }
      for (const [key, entry] of Object.entries(parsed.entries)) {
        if (isCacheEntry(entry)) entries.set(key, entry);
      }
    } catch (error) {
      // A damaged cache only costs a few extra process starts; never fail discovery over it.
      this.#logger.warn({ err: error, file: this.#file }, 'capabilities cache damaged; ignored');
    }
    return entries;
  }
}

function keyOf(fingerprint: ExecutableFingerprint): string {
  return JSON.stringify(fingerprint.command);
}

function isCacheEntry(value: unknown): value is CacheEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    Array.isArray(entry['command']) &&
    typeof entry['path'] === 'string' &&
    typeof entry['size'] === 'number' &&
    typeof entry['mtimeMs'] === 'number' &&
    typeof entry['sha256'] === 'string' &&
    typeof entry['output'] === 'string'
  );
}
