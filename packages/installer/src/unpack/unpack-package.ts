import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, lstat, mkdir, open, realpath, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import {
  PlugboardError,
  importManifestText,
  isPlugboardError,
  type ImportedManifest,
} from '@plugboard/core';
import { HASH_CHUNK_BYTES } from '../digest/sha256-digest.js';
import { normalizeEntryPath } from '../package/entry-path.js';
import { readPackageEntries, type PackageEntry } from '../package/package-entries.js';
import { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from '../package/package-limits.js';
import { ManifestCandidates } from '../package/package-manifest.js';
import { PendingWrites } from './pending-writes.js';
import { INSTALL_RECORD_FILE, TreeLines } from './tree-digest.js';

/** Files up to this size are gathered and written with one call; larger ones are streamed. */
const SMALL_FILE_BYTES = 1024 * 1024;

/** What `unpackPackage` produced. */
export interface UnpackedPackage {
  /** The plugin folder: the destination, or its single top folder when the manifest is there. */
  readonly pluginDir: string;
  readonly manifestPath: string;
  readonly manifest: ImportedManifest;
  /** Name and version from the manifest (a package must carry both). */
  readonly name: string;
  readonly version: string;
  readonly entries: number;
  readonly unpackedBytes: number;
  /** The plugin folder's tree digest (see `treeDigest`), computed while writing. */
  readonly treeDigest: string;
}

/**
 * Unpacks a plugin package (gzip tar file) into `destination`, a folder that must not exist yet,
 * entry by entry. Every entry goes through the package module's checks (`readPackageEntries`:
 * no absolute paths, no `..`, no links leading outside, nothing below a link, no devices, caps on
 * entries and bytes), so nothing is ever written outside `destination`; files are created with
 * `O_EXCL` and permission bits are reduced to `rw-r--r--` plus the executable bits. Then the
 * manifest is chosen and imported, and its entrypoint checked. Throws `PACKAGE_INVALID` (or the
 * manifest's own code); the caller removes `destination` on failure.
 */
export async function unpackPackage(
  archivePath: string,
  destination: string,
  limits: PackageLimits = DEFAULT_PACKAGE_LIMITS,
): Promise<UnpackedPackage> {
  const source = createReadStream(archivePath, { highWaterMark: HASH_CHUNK_BYTES });
  try {
    return await unpackPackageStream(source, destination, limits);
  } finally {
    source.destroy();
  }
}

/** `unpackPackage` reading the package from a stream of chunks (e.g. while it downloads). */
export async function unpackPackageStream(
  source: AsyncIterable<Uint8Array>,
  destination: string,
  limits: PackageLimits = DEFAULT_PACKAGE_LIMITS,
): Promise<UnpackedPackage> {
  await mkdir(destination, { mode: 0o755 });
  const tree = new TreeLines();
  const created = new Set<string>(['']);
  const ensureParent = async (path: string): Promise<void> => {
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (created.has(parent)) return;
    await mkdir(join(destination, parent), { recursive: true, mode: 0o755 });
    for (
      let at = parent;
      at !== '' && !created.has(at);
      at = dirname(at) === '.' ? '' : dirname(at)
    ) {
      created.add(at);
      tree.directory(at);
    }
  };
  const candidates = new ManifestCandidates();
  const fileHashes = new Map<string, { hex: string; executable: boolean }>();
  let entries = 0;
  let unpackedBytes = 0;
  const writes = new PendingWrites();
  try {
    for await (const entry of readPackageEntries(source, limits)) {
      entries += 1;
      unpackedBytes += entry.size;
      candidates.noteEntry(entry.path);
      const target = join(destination, entry.path);
      switch (entry.type) {
        case 'directory':
          if (!created.has(entry.path)) {
            await ensureParent(entry.path);
            await mkdir(target, { mode: 0o755 }).catch(ignoreExisting);
            created.add(entry.path);
            tree.directory(entry.path);
          }
          break;
        case 'file': {
          await ensureParent(entry.path);
          let written: { hex: string; executable: boolean };
          if (candidates.isCandidatePath(entry.path)) {
            const text = await readManifestBody(entry, limits);
            await writeFile(target, text, { flag: 'wx', mode: 0o644 });
            candidates.add({ path: entry.path, text });
            written = { hex: createHash('sha256').update(text).digest('hex'), executable: false };
          } else {
            written = await writeEntryFile(entry, target, writes);
          }
          fileHashes.set(entry.path, written);
          tree.file(entry.path, written.executable, written.hex);
          break;
        }
        case 'hardlink': {
          await ensureParent(entry.path);
          await writes.drain(); // the file it names must be complete
          await link(join(destination, entry.target ?? ''), target);
          const same = fileHashes.get(entry.target ?? '');
          if (same !== undefined) tree.file(entry.path, same.executable, same.hex);
          break;
        }
        case 'symlink': {
          await ensureParent(entry.path);
          const from = dirname(entry.path) === '.' ? '' : dirname(entry.path);
          const linkText = relative(from === '' ? '.' : from, entry.target ?? '') || '.';
          const text = linkText.split(sep).join('/');
          await symlink(text, target);
          tree.link(entry.path, text);
          break;
        }
      }
    }
    await writes.drain();
  } catch (error) {
    await writes.settle();
    throw error;
  }
  const chosen = candidates.choose();
  if ('problem' in chosen) throw new PlugboardError('PACKAGE_INVALID', chosen.problem);
  const pluginDir = chosen.root === '' ? destination : join(destination, chosen.root);
  const manifest = importPackageManifest(chosen.manifest.path, chosen.manifest.text);
  const { name, version } = manifest.manifest;
  if (version === undefined) {
    throw new PlugboardError(
      'MANIFEST_INVALID',
      `${chosen.manifest.path}: the manifest has no version; a package must name its SemVer version`,
      { details: { problems: [{ path: 'version', message: 'is required in a package' }] } },
    );
  }
  if (await exists(join(pluginDir, INSTALL_RECORD_FILE))) {
    throw new PlugboardError(
      'PACKAGE_INVALID',
      `the package holds "${INSTALL_RECORD_FILE}", a name the installer reserves for its own record`,
      { details: { entry: INSTALL_RECORD_FILE } },
    );
  }
  await checkEntrypoint(manifest, pluginDir);
  return {
    pluginDir,
    manifestPath: chosen.manifest.path,
    manifest,
    name,
    version,
    entries,
    unpackedBytes,
    treeDigest: tree.digest(chosen.root),
  };
}

/**
 * Writes a file entry (hashing it on the way) and returns its sha256 hex and executable bit. A
 * small file is read into memory and written in the background (`writes`); a large one is
 * streamed to disk before this returns.
 */
async function writeEntryFile(
  entry: PackageEntry,
  target: string,
  writes: PendingWrites,
): Promise<{ hex: string; executable: boolean }> {
  const mode = 0o644 | (entry.mode & 0o111);
  const hash = createHash('sha256');
  const executable = (mode & 0o111) !== 0;
  if (entry.size <= SMALL_FILE_BYTES) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry.body) chunks.push(chunk);
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    await writes.add(() => writeFile(target, body, { flag: 'wx', mode }));
    return { hex: hash.update(body).digest('hex'), executable };
  }
  const file = await open(target, 'wx', mode);
  try {
    // Chunks are hashed as they come and written together once 1 MiB has gathered: one writev,
    // no copy into a joined buffer.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      const block = pending;
      const bytes = pendingBytes;
      pending = [];
      pendingBytes = 0;
      const { bytesWritten } = await file.writev(block);
      // A short write (rare on a regular file) leaves the rest to write.
      for (let done = bytesWritten; done < bytes;) {
        done += (await file.write(Buffer.concat(block).subarray(done))).bytesWritten;
      }
    };
    for await (const chunk of entry.body) {
      hash.update(chunk);
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= HASH_CHUNK_BYTES) await flush();
    }
    if (pendingBytes > 0) await flush();
  } finally {
    await file.close();
  }
  return { hex: hash.digest('hex'), executable };
}

async function readManifestBody(entry: PackageEntry, limits: PackageLimits): Promise<string> {
  if (entry.size > limits.maxManifestBytes) {
    throw new PlugboardError(
      'PACKAGE_INVALID',
      `the manifest "${entry.path}" is ${entry.size} bytes; at most ${limits.maxManifestBytes} are accepted`,
      { details: { entry: entry.path } },
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of entry.body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function importPackageManifest(path: string, text: string): ImportedManifest {
  try {
    return importManifestText(text, { source: path });
  } catch (error) {
    if (!isPlugboardError(error)) throw error;
    const message = error.message.includes(path) ? error.message : `${path}: ${error.message}`;
    throw new PlugboardError(error.code, message, {
      cause: error,
      details: { ...error.details, entry: path },
    });
  }
}

/** The manifest's entrypoint must be a file of the plugin folder (links followed, staying inside). */
async function checkEntrypoint(manifest: ImportedManifest, pluginDir: string): Promise<void> {
  const declared = manifest.manifest.runtime?.entrypoint;
  if (declared === undefined || declared === '') return;
  const fail = (why: string) =>
    new PlugboardError(
      'PACKAGE_INVALID',
      `the manifest's runtime.entrypoint "${declared}" ${why}`,
      {
        details: { entrypoint: declared },
      },
    );
  const checked = normalizeEntryPath(declared);
  if ('problem' in checked || checked.path === '') {
    throw fail('must be a relative path inside the package');
  }
  const resolved = await realpath(join(pluginDir, checked.path)).catch(() => undefined);
  if (resolved === undefined) throw fail('is not in the package');
  const root = await realpath(pluginDir);
  if (resolved !== root && !resolved.startsWith(root + sep))
    throw fail('leads outside the package');
  const info = await lstat(resolved);
  if (!info.isFile()) throw fail('is not a file');
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

function ignoreExisting(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
}
