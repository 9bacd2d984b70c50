import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';

import { FaultError, errorMessage } from '../shared/errors.js';

/** The lock file of `pingwarden once`, in the logs folder. */
export const ONCE_LOCK_FILE = 'once.lock';

/** A lock file younger than this without a pid in it is being written by its owner, not stale. */
const FRESH_MS = 10_000;

/** A held lock; {@link release} removes it. */
export interface OnceLock {
  readonly file: string;
  release(): Promise<void>;
}

/** Who holds the lock when it could not be taken. */
export interface LockHolder {
  readonly file: string;
  /** Null when the file holds no pid yet (its owner is writing it). */
  readonly pid: number | null;
}

/**
 * Takes `logs/once.lock` for a cron run, so two overlapping runs (a slow boot wait and the next cron tick)
 * never power-cycle twice. Created with O_EXCL and the pid written into it; a lock whose pid is no longer
 * running (a run killed by SIGKILL or a power loss) is stale and taken over. Returns the holder instead when
 * another live run has it.
 *
 * @throws FaultError when the logs folder cannot be written.
 */
export async function takeOnceLock(
  logsDir: string,
  pid: number,
  alive: (pid: number) => boolean = processAlive,
): Promise<OnceLock | LockHolder> {
  const file = path.join(logsDir, ONCE_LOCK_FILE);
  try {
    await mkdir(logsDir, { recursive: true });
    for (let round = 0; round < 2; round++) {
      if (await create(file, pid)) return { file, release: () => rm(file, { force: true }) };
      const holder = await readHolder(file);
      if (holder === 'gone') continue;
      if (holder === null) {
        const age = await ageOf(file);
        if (age !== null && age < FRESH_MS) return { file, pid: null };
      } else if (holder !== pid && alive(holder)) {
        return { file, pid: holder };
      }
      // Stale: its run died without removing it.
      await rm(file, { force: true });
    }
    return { file, pid: await readPid(file) };
  } catch (error) {
    throw new FaultError(`cannot take the lock ${file}: ${errorMessage(error)}`);
  }
}

/** Whether {@link takeOnceLock} got the lock. */
export function isHeld(result: OnceLock | LockHolder): result is OnceLock {
  return 'release' in result;
}

async function create(file: string, pid: number): Promise<boolean> {
  try {
    const handle = await open(file, 'wx', 0o644);
    try {
      await handle.writeFile(`${pid}\n`);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The holder's pid, null when the file has none, `gone` when it vanished meanwhile. */
async function readHolder(file: string): Promise<number | null | 'gone'> {
  try {
    return parsePid(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
}

async function readPid(file: string): Promise<number | null> {
  const holder = await readHolder(file);
  return holder === 'gone' ? null : holder;
}

function parsePid(text: string): number | null {
  const match = /^\s*(\d{1,10})\s*$/.exec(text);
  const pid = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

async function ageOf(file: string): Promise<number | null> {
  try {
    return Date.now() - (await stat(file)).mtimeMs;
  } catch {
    return null;
  }
}

/** Signal 0 checks that a process exists; EPERM means it exists under another user. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
