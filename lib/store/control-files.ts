import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { formatTargetSelector, parseTargetSelector } from '../config/target-selector.js';
import type { AckRequest, ControlSource, OperatorControls, Snooze } from '../monitor/suppression.js';
import { errorMessage, FaultError } from '../shared/errors.js';
import { writeFileAtomic } from '../shared/write-file-atomic.js';
import { withFileLock } from './file-lock.js';

/** The snoozes file in the logs folder. */
export const SNOOZES_FILE = 'snoozes.json';
/** The acks file in the logs folder. */
export const ACKS_FILE = 'acks.json';

/** Acks older than this are dropped when the file is next written: their outages are long over. */
const ACK_KEEP_MS = 30 * 86_400_000;

interface SnoozeJson {
  readonly target: string;
  readonly at: string;
  readonly until: string;
  readonly note: string | null;
}

interface AckJson {
  readonly host: string;
  readonly at: string;
  readonly note: string | null;
}

/**
 * The snoozes and acks that `pingwarden snooze` / `unsnooze` / `ack` leave for the monitor, in
 * `logs/snoozes.json` and `logs/acks.json`. Each write goes to a temporary file that is flushed, renamed
 * over the real one and made durable by flushing the folder (as the outbox does), so a crash leaves the old
 * file or the new one. The daemon and `once` read both at every cycle; a missing file is none.
 */
export class ControlFiles implements ControlSource {
  constructor(
    /** The logs folder. */
    readonly dir: string,
  ) {}

  async read(): Promise<OperatorControls> {
    const [snoozes, acks] = await Promise.all([this.snoozes(), this.acks()]);
    return { snoozes, acks };
  }

  /** Every snooze in the file, expired ones included (the monitor ignores those). */
  async snoozes(): Promise<Snooze[]> {
    const data = await this.readJson(SNOOZES_FILE, 'snoozes');
    const snoozes: Snooze[] = [];
    for (const item of data) {
      const entry = item as Partial<SnoozeJson>;
      const selector = typeof entry.target === 'string' ? parseTargetSelector(entry.target) : null;
      const at = dateOf(entry.at);
      const until = dateOf(entry.until);
      if (selector === null || at === null || until === null) continue;
      snoozes.push({ selector, at, until, note: typeof entry.note === 'string' ? entry.note : null });
    }
    return snoozes;
  }

  /** Every ack in the file, the newest per host. */
  async acks(): Promise<AckRequest[]> {
    const data = await this.readJson(ACKS_FILE, 'acks');
    const acks = new Map<string, AckRequest>();
    for (const item of data) {
      const entry = item as Partial<AckJson>;
      const at = dateOf(entry.at);
      if (typeof entry.host !== 'string' || at === null) continue;
      const previous = acks.get(entry.host);
      if (previous !== undefined && previous.at.getTime() > at.getTime()) continue;
      acks.set(entry.host, {
        host: entry.host,
        at,
        note: typeof entry.note === 'string' ? entry.note : null,
      });
    }
    return [...acks.values()];
  }

  /**
   * Reads the snoozes, lets `change` make the new list and stores it, under a lock so two commands at the
   * same moment both count. `change` may throw (nothing is written then).
   */
  async updateSnoozes(now: Date, change: (current: Snooze[]) => Snooze[]): Promise<void> {
    await this.locked(SNOOZES_FILE, async () => this.writeSnoozes(change(await this.snoozes()), now));
  }

  /** Stores `snoozes` as the whole list, dropping those over before `now`. */
  async writeSnoozes(snoozes: readonly Snooze[], now: Date): Promise<void> {
    const kept = snoozes.filter((snooze) => snooze.until.getTime() > now.getTime());
    const json: SnoozeJson[] = kept.map((snooze) => ({
      target: formatTargetSelector(snooze.selector),
      at: snooze.at.toISOString(),
      until: snooze.until.toISOString(),
      note: snooze.note,
    }));
    await this.writeJson(SNOOZES_FILE, { v: 1, snoozes: json });
  }

  /** Adds one ack (replacing an older one of the same host), dropping acks older than 30 days. */
  async addAck(ack: AckRequest, now: Date): Promise<void> {
    await this.locked(ACKS_FILE, async () => {
      const kept = (await this.acks()).filter(
        (old) => old.host !== ack.host && now.getTime() - old.at.getTime() < ACK_KEEP_MS,
      );
      const json: AckJson[] = [...kept, ack].map((entry) => ({
        host: entry.host,
        at: entry.at.toISOString(),
        note: entry.note,
      }));
      await this.writeJson(ACKS_FILE, { v: 1, acks: json });
    });
  }

  private async locked(name: string, work: () => Promise<void>): Promise<void> {
    await mkdir(this.dir, { recursive: true }).catch(() => undefined);
    await withFileLock(path.join(this.dir, `${name}.lock`), work);
  }

  private async readJson(name: string, field: string): Promise<unknown[]> {
    const file = path.join(this.dir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new FaultError(`${file}: cannot read: ${errorMessage(error)}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new FaultError(`${file}: not valid JSON; fix or delete the file`);
    }
    const list = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[field] : null;
    if (!Array.isArray(list)) throw new FaultError(`${file}: no "${field}" list; fix or delete the file`);
    return list;
  }

  private async writeJson(name: string, data: unknown): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, name);
    // A name of this process's own: a reader never sees a half-written file, and writers never share one.
    try {
      await writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`, `${file}.${process.pid}.tmp`);
    } catch (error) {
      throw new FaultError(`${file}: cannot write: ${errorMessage(error)}`);
    }
  }
}

function dateOf(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}
