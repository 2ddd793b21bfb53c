import { mkdir, readFile, readdir, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  readLockFile,
  withEntry,
  withoutEntry,
  writeLockFile,
  type LockEntry,
} from '../lock-file/plugboard-lock.js';
import { syncFolder, writeFileAtomic } from './atomic-file.js';
import { readInstallRecord } from './install-record.js';
import type { InstallLayout } from './install-layout.js';
import { isAlive } from './root-lock.js';

/** Steps of a change, in order; tests stop a process at one of them to prove crash safety. */
export type ChangeStep =
  | 'journal-written'
  | 'old-moved-aside'
  | 'new-moved-in'
  | 'committed'
  | 'lock-file-written'
  | 'cleaned-up';

/** Called after each step (tests inject a pause there; production passes nothing). */
export type StepHook = (step: ChangeStep) => Promise<void>;

/** An install about to be moved into place. */
export interface InstallChange {
  readonly op: 'install';
  readonly id: string;
  /** The finished plugin folder in staging. */
  readonly staged: string;
  /** `<root>/<name>/<version>` (or under `.disabled`). */
  readonly final: string;
  /** Other version folders of the plugin to remove once the new one is in. */
  readonly remove: readonly string[];
  readonly lockFile?: string | undefined;
  readonly lockEntry?: LockEntry | undefined;
}

/** Folders to remove, and the lock entry to drop. */
export interface RemoveChange {
  readonly op: 'remove';
  readonly id: string;
  readonly dirs: readonly string[];
  readonly lockFile?: string | undefined;
  readonly lockName?: string | undefined;
}

interface JournalRecord {
  readonly change: InstallChange | RemoveChange;
  readonly committed: boolean;
  /** Where the folder `final` held before is kept until commit (same-version reinstall). */
  readonly displaced?: string | undefined;
}

/**
 * Moves a staged install into place. The journal is written first; before the commit point the
 * change is rolled back after a crash (the new folder removed, a displaced old one put back), after
 * it the change is finished (lock file, removal of replaced versions). Call with the root lock held.
 */
export async function applyInstall(
  layout: InstallLayout,
  change: InstallChange,
  hook?: StepHook,
): Promise<void> {
  const displaced = join(layout.trashDir, `${change.id}-displaced`);
  const journal = journalPath(layout, change.id);
  await mkdir(layout.trashDir, { recursive: true });
  await writeJournal(journal, { change, committed: false, displaced });
  await hook?.('journal-written');
  await mkdir(dirname(change.final), { recursive: true });
  if (await moveIfPresent(change.final, displaced)) await hook?.('old-moved-aside');
  await rename(change.staged, change.final);
  await syncFolder(dirname(change.final));
  await hook?.('new-moved-in');
  await writeJournal(journal, { change, committed: true, displaced });
  await hook?.('committed');
  await finishInstall(layout, change, displaced, hook);
  await unlink(journal);
}

/** Removes folders and drops a lock entry: a roll-forward change (replayed in full after a crash). */
export async function applyRemove(
  layout: InstallLayout,
  change: RemoveChange,
  hook?: StepHook,
): Promise<void> {
  const journal = journalPath(layout, change.id);
  await writeJournal(journal, { change, committed: true });
  await hook?.('committed');
  await finishRemove(layout, change, hook);
  await unlink(journal);
}

/**
 * Repairs what crashed processes left: replays or rolls back journaled changes, deletes staging
 * folders of processes that are gone and trash nobody needs. Call with the root lock held.
 */
export async function recoverInterrupted(layout: InstallLayout): Promise<string[]> {
  const notes: string[] = [];
  for (const name of await listFolder(layout.journalDir)) {
    if (!name.endsWith('.json')) continue;
    const path = join(layout.journalDir, name);
    let record: JournalRecord;
    try {
      record = JSON.parse(await readFile(path, 'utf8')) as JournalRecord;
    } catch {
      // A journal torn by a crash before its rename never was: nothing had been moved yet.
      await unlink(path).catch(() => undefined);
      continue;
    }
    const { change } = record;
    if (change.op === 'remove') {
      await finishRemove(layout, change);
      notes.push(`finished an interrupted removal (${change.id})`);
    } else if (record.committed) {
      await finishInstall(layout, change, record.displaced);
      notes.push(`finished an interrupted install of ${change.final}`);
    } else {
      await rollBackInstall(layout, change, record.displaced);
      notes.push(`rolled back an interrupted install of ${change.final}`);
    }
    await unlink(path).catch(() => undefined);
  }
  for (const name of await listFolder(layout.stagingDir)) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) continue;
    if (pid === process.pid) continue;
    await rm(join(layout.stagingDir, name), { recursive: true, force: true });
  }
  for (const name of await listFolder(layout.trashDir)) {
    await rm(join(layout.trashDir, name), { recursive: true, force: true });
  }
  return notes;
}

async function finishInstall(
  layout: InstallLayout,
  change: InstallChange,
  displaced: string | undefined,
  hook?: StepHook,
): Promise<void> {
  if (change.lockFile !== undefined && change.lockEntry !== undefined) {
    await writeLockFile(
      change.lockFile,
      withEntry(await readLockFile(change.lockFile), change.lockEntry),
    );
    await hook?.('lock-file-written');
  }
  for (const [index, dir] of change.remove.entries()) {
    if (dir === change.final) continue;
    await trash(layout, dir, `${change.id}-old-${index}`);
  }
  if (displaced !== undefined) await rm(displaced, { recursive: true, force: true });
  await removeIfEmpty(dirname(change.final));
  await hook?.('cleaned-up');
}

async function rollBackInstall(
  layout: InstallLayout,
  change: InstallChange,
  displaced: string | undefined,
): Promise<void> {
  const record = await readInstallRecord(change.final);
  if (record?.install_id === change.id)
    await trash(layout, change.final, `${change.id}-rolled-back`);
  if (displaced !== undefined) await moveIfPresent(displaced, change.final);
  await removeIfEmpty(dirname(change.final));
}

async function finishRemove(
  layout: InstallLayout,
  change: RemoveChange,
  hook?: StepHook,
): Promise<void> {
  for (const [index, dir] of change.dirs.entries()) {
    await trash(layout, dir, `${change.id}-${index}`);
    await removeIfEmpty(dirname(dir));
  }
  if (change.lockFile !== undefined && change.lockName !== undefined) {
    await writeLockFile(
      change.lockFile,
      withoutEntry(await readLockFile(change.lockFile), change.lockName),
    );
    await hook?.('lock-file-written');
  }
  await hook?.('cleaned-up');
}

/** Renames a folder into the trash (atomic: it is gone from view at once), then deletes it. */
async function trash(layout: InstallLayout, dir: string, name: string): Promise<void> {
  const target = join(layout.trashDir, name);
  await mkdir(layout.trashDir, { recursive: true });
  if (await moveIfPresent(dir, target)) await rm(target, { recursive: true, force: true });
}

async function moveIfPresent(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function removeIfEmpty(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => undefined);
  if (entries !== undefined && entries.length === 0) {
    await rmdir(dir).catch(() => undefined);
  }
}

async function writeJournal(path: string, record: JournalRecord): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(record)}\n`);
}

function journalPath(layout: InstallLayout, id: string): string {
  return join(layout.journalDir, `${id}.json`);
}

async function listFolder(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
