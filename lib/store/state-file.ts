import { open, readFile, rename } from 'node:fs/promises';

import type { Log } from '../log.js';
import type { HostState, HostStatus } from '../monitor/host-state.js';
import type { StateStore } from '../monitor/monitor-loop.js';

interface SavedHostState {
  status: HostStatus;
  since: string | null;
  lastAlertAt: string | null;
  lastRttMs: number | null;
}

interface SavedStates {
  version: 1;
  hosts: Record<string, SavedHostState>;
}

const statuses: readonly HostStatus[] = ['UNKNOWN', 'UP', 'DOWN', 'UNREACHABLE'];

/**
 * Host states in a small JSON file (logs/state.json), so reminders and restores work across cron runs and
 * restarts. Written to a temporary file, flushed and renamed over the old one, so a crash mid-write leaves
 * the previous version intact.
 */
export class StateFile implements StateStore {
  constructor(
    private readonly path: string,
    private readonly log: Log,
  ) {}

  async load(): Promise<ReadonlyMap<string, HostState>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    const states = parseStates(text);
    if (!states) {
      // Losing the state costs at most one repeated DOWN alert; refusing to start would cost monitoring.
      this.log.warn('state file unreadable; starting with every host unknown', { file: this.path });
      return new Map();
    }
    return states;
  }

  async save(states: ReadonlyMap<string, HostState>): Promise<void> {
    const saved: SavedStates = { version: 1, hosts: {} };
    for (const [host, state] of states) {
      saved.hosts[host] = {
        status: state.status,
        since: state.since?.toISOString() ?? null,
        lastAlertAt: state.lastAlertAt?.toISOString() ?? null,
        lastRttMs: state.lastRttMs,
      };
    }
    const temporary = `${this.path}.tmp`;
    const file = await open(temporary, 'w');
    try {
      await file.writeFile(`${JSON.stringify(saved, null, 1)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.path);
  }
}

function parseStates(text: string): Map<string, HostState> | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(data) || data.version !== 1 || !isRecord(data.hosts)) return null;
  const states = new Map<string, HostState>();
  for (const [host, value] of Object.entries(data.hosts)) {
    if (!isRecord(value) || !statuses.includes(value.status as HostStatus)) return null;
    states.set(host, {
      status: value.status as HostStatus,
      since: toDate(value.since),
      lastAlertAt: toDate(value.lastAlertAt),
      lastRttMs: typeof value.lastRttMs === 'number' ? value.lastRttMs : null,
    });
  }
  return states;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
