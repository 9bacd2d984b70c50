import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { buildReport } from '../../lib/report/build-report.js';
import type { HostLabelText } from '../../lib/report/host-summary.js';
import type { Report } from '../../lib/report/report-model.js';
import { FakeLog } from '../fakes/fake-log.js';

/**
 * One day of history, 2026-11-01 UTC, with hand-computed answers (see report numbers in build-report.test.ts):
 * - 00:00 START; a, b, c come up. a is down 01:00-01:30 (one power cycle, recorded after the restore;
 *   another one, for b while it was up, counts for nothing). Alive marks to 03:00, then a crash.
 * - 03:00-05:00 unknown. 05:00 START: b is down (it changed somewhere in the gap), up again at 06:00.
 * - 10:00 clean STOP; 10:00-12:00 unknown. 12:00 START; c was removed from hosts.csv.
 * - 20:00 a goes down and stays down; the monitor still runs (alive 23:58) when the report is made at 24:00.
 */
export const FIXTURE_LINES: readonly object[] = [
  start('00:00:00'),
  { kind: 'snapshot', at: t('00:00:00'), hosts: {} },
  state('00:00:00', 'a', 'UP', 'UNKNOWN'),
  state('00:00:00', 'b', 'UP', 'UNKNOWN'),
  state('00:00:00', 'c', 'UP', 'UNKNOWN'),
  state('01:00:00', 'a', 'DOWN', 'UP'),
  { kind: 'alert', at: t('01:00:00'), host: 'a', alert: 'DOWN' },
  state('01:30:00', 'a', 'UP', 'DOWN'),
  // Written when the attempt ended, after the restore it brought; it counts for the outage it started in.
  {
    kind: 'action',
    at: t('01:00:30'),
    action: 'power-cycle',
    plug: 'Modem',
    hosts: ['a'],
    attempt: 1,
    max: 3,
    result: 'restored',
  },
  // Started while b was up: counts for no outage.
  {
    kind: 'action',
    at: t('01:45:00'),
    action: 'power-cycle',
    plug: 'Modem',
    hosts: ['b'],
    attempt: 1,
    max: 3,
    result: 'not-restored',
  },
  { kind: 'alive', at: t('02:00:00') },
  { kind: 'alive', at: t('03:00:00') },
  start('05:00:00'),
  state('05:00:00', 'b', 'DOWN', 'UP'),
  state('06:00:00', 'b', 'UP', 'DOWN'),
  { kind: 'stop', at: t('10:00:00') },
  start('12:00:00'),
  { kind: 'removed', at: t('12:00:00'), host: 'c' },
  state('20:00:00', 'a', 'DOWN', 'UP'),
  { kind: 'alive', at: t('23:58:00') },
];

/** The time the fixture's report is made at: an ongoing outage counts up to here. */
export const FIXTURE_NOW = new Date('2026-11-02T00:00:00Z');

/** Writes the fixture (or other history `lines` of November 2026) as `<root>/logs/history/history-2026-11.jsonl`. */
export async function writeFixture(
  lines: readonly object[] = FIXTURE_LINES,
): Promise<{ logsDir: string; remove: () => Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-report-'));
  const dir = path.join(root, 'logs', 'history');
  await mkdir(dir, { recursive: true });
  const text = lines.map((line) => JSON.stringify({ v: 1, ...line })).join('\n');
  await writeFile(path.join(dir, 'history-2026-11.jsonl'), `${text}\n`);
  return { logsDir: path.join(root, 'logs'), remove: () => rm(root, { recursive: true, force: true }) };
}

/** The report over the whole day of 2026-11-01 of the fixture, or of other history `lines`. */
export async function fixtureReport(
  options: {
    hosts?: string[];
    labels?: ReadonlyMap<string, HostLabelText>;
    lines?: readonly object[];
  } = {},
): Promise<Report> {
  const fixture = await writeFixture(options.lines);
  try {
    return await buildReport({
      dir: path.join(fixture.logsDir, 'history'),
      log: new FakeLog(),
      now: FIXTURE_NOW,
      since: new Date('2026-11-01T00:00:00Z'),
      until: null,
      hosts: options.hosts ?? [],
      ...(options.labels ? { labels: options.labels } : {}),
    });
  } finally {
    await fixture.remove();
  }
}

function t(time: string): string {
  return `2026-11-01T${time}.000Z`;
}

function start(time: string) {
  return { kind: 'start', at: t(time), mode: 'daemon', interval_s: 60, alive_s: 300, hosts: 3, pid: 1 };
}

function state(time: string, host: string, to: string, from: string) {
  return {
    kind: 'state',
    at: t(time),
    host,
    state: to,
    from,
    attempts: to === 'UP' ? 1 : 3,
    rtt_ms: to === 'UP' ? 0.5 : null,
    interval_s: 60,
  };
}
