import path from 'node:path';

import type { Command } from 'commander';

import { commandLog, type AppDeps } from '../../app/deps.js';
import { readConfig } from '../../app/read-config.js';
import { DURATION_FORMS, parseDurationText } from '../../config/duration-text.js';
import type { Target } from '../../config/target.js';
import {
  formatTargetSelector,
  parseTargetSelector,
  selects,
  SELECTOR_FORMS,
  unmatchedReason,
  type TargetSelector,
} from '../../config/target-selector.js';
import { ensureWritableFolder } from '../../shared/writable-folder.js';
import { formatDuration } from '../../shared/format-duration.js';
import { isoWithOffset } from '../../shared/local-time.js';
import { UserError } from '../../shared/errors.js';
import { openUntil } from '../../monitor/suppression.js';
import { ControlFiles } from '../../store/control-files.js';
import { rebuildFromHistory } from '../../store/history-rebuild.js';
import { commandWithPaths, type PathOptions } from './path-options.js';

interface NoteOptions extends PathOptions {
  note?: string;
}

/** Longest note a snooze or ack keeps. */
const MAX_NOTE = 200;

/**
 * Adds `snooze`, `unsnooze`, `snoozes` and `ack`. Each only writes (or reads) a small file in the logs
 * folder (see store/control-files.ts): the running daemon and `once` read it at their next cycle.
 */
export function addSnoozeCommands(program: Command, deps: (options: PathOptions) => AppDeps): void {
  const command = (name: string, description: string) => commandWithPaths(program, name, description);

  command('snooze', 'silence a host, a location or everything for a while: no alerts, no power cycles')
    .argument('<target>', 'a host from hosts.csv, location:NAME or *')
    .argument('<duration>', 'how long, e.g. 30m, 2h, 1d')
    .option('--note <text>', 'why (shown in snoozes, the log and the status page)')
    .action(async (target: string, duration: string, options: NoteOptions) =>
      snooze(deps(options), target, duration, options.note),
    );
  command('unsnooze', 'end a snooze now')
    .argument('<target>', 'as given to snooze')
    .action(async (target: string, options: PathOptions) => unsnooze(deps(options), target));
  command('snoozes', 'list the snoozes in force').action(async (options: PathOptions) =>
    listSnoozes(deps(options)),
  );
  command('ack', "acknowledge a host's current outage: no more reminders; RESTORED still goes out")
    .argument('<host>', 'a host from hosts.csv that is DOWN')
    .option('--note <text>', 'who is on it, a ticket number (shown in the history and the report)')
    .action(async (host: string, options: NoteOptions) => ack(deps(options), host, options.note));
}

/** `pingwarden snooze TARGET DURATION [--note TEXT]`. */
export async function snooze(deps: AppDeps, target: string, duration: string, note?: string): Promise<void> {
  const config = await readConfig(deps);
  const selector = selectorOf(target, config.targets);
  const durationMs = parseDurationText(duration);
  if (durationMs === null) {
    throw new UserError(`invalid duration ${JSON.stringify(duration)}: expected ${DURATION_FORMS}`);
  }
  const files = await controlFiles(deps);
  const now = deps.clock.now();
  const until = new Date(now.getTime() + durationMs);
  const key = selectorKey(selector);
  await files.updateSnoozes(now, (current) => [
    ...current.filter((old) => selectorKey(old.selector) !== key),
    { selector, at: now, until, note: noteOf(note) },
  ]);
  const count = config.targets.filter((one) => selects(selector, one)).length;
  deps.io.out(
    `snoozed ${formatTargetSelector(selector)} (${count} ${count === 1 ? 'target' : 'targets'}) for ` +
      `${formatDuration(durationMs, { units: 2 })}, until ${localMinute(until)}; ` +
      'the monitor applies it at its next cycle',
  );
}

/** `pingwarden unsnooze TARGET`. */
export async function unsnooze(deps: AppDeps, target: string): Promise<void> {
  const selector = parseTargetSelector(target);
  if (selector === null) throw new UserError(`missing target (${SELECTOR_FORMS})`);
  const files = await controlFiles(deps);
  const now = deps.clock.now();
  let remaining: readonly TargetSelector[] = [];
  await files.updateSnoozes(now, (all) => {
    const active = all.filter((old) => old.until.getTime() > now.getTime());
    const kept = active.filter((old) => selectorKey(old.selector) !== selectorKey(selector));
    remaining = kept.map((old) => old.selector);
    if (kept.length === active.length) {
      const listed = active.map((old) => formatTargetSelector(old.selector)).join(', ');
      throw new UserError(
        `no snooze for ${formatTargetSelector(selector)}${listed === '' ? ' (there are none)' : ` (snoozed: ${listed})`}`,
      );
    }
    return kept;
  });
  const still = await stillSnoozing(deps, selector, remaining);
  deps.io.out(
    still.length === 0
      ? `unsnoozed ${formatTargetSelector(selector)}; alerts resume at the next cycle`
      : `unsnoozed ${formatTargetSelector(selector)}; still silenced by the snooze of ${still.map(formatTargetSelector).join(', ')}`,
  );
}

/**
 * The remaining snoozes that still cover a target of `selector` (`location:Bldg 6` or `*` after
 * `unsnooze 10.1.1.254`): saying "alerts resume" then would be wrong. None when the config cannot be read.
 */
async function stillSnoozing(
  deps: AppDeps,
  selector: TargetSelector,
  remaining: readonly TargetSelector[],
): Promise<TargetSelector[]> {
  if (remaining.length === 0) return [];
  const targets = await readConfig(deps).then(
    (config) => config.targets.filter((one) => selects(selector, one)),
    () => [],
  );
  return remaining.filter((other) => targets.some((one) => selects(other, one)));
}

/**
 * `pingwarden snoozes`: one line per snooze in force, then the maintenance windows open now (when the
 * config can be read), so "why is nobody told?" has one answer.
 */
export async function listSnoozes(deps: AppDeps): Promise<void> {
  const files = new ControlFiles(deps.paths.logsDir);
  const now = deps.clock.now();
  const active = (await files.snoozes())
    .filter((old) => old.until.getTime() > now.getTime())
    .sort((a, b) => a.until.getTime() - b.until.getTime());
  const left = (until: Date) => formatDuration(until.getTime() - now.getTime(), { units: 2 });
  if (active.length === 0) deps.io.out('no snoozes');
  for (const entry of active) {
    const note = entry.note === null ? '' : `  ${entry.note}`;
    deps.io.out(
      `${formatTargetSelector(entry.selector)}  until ${localMinute(entry.until)} (${left(entry.until)} left)${note}`,
    );
  }
  // A broken config is check-config's business; the snoozes are listed all the same.
  const windows = await readConfig(deps).then(
    (config) => config.maintenance ?? [],
    () => [],
  );
  for (const window of windows) {
    const until = openUntil(window.timing, now);
    if (until === null) continue;
    const note = window.note === '' ? '' : `  ${window.note}`;
    deps.io.out(
      `${formatTargetSelector(window.selector)}  maintenance window (maintenance.csv:${window.line}) until ` +
        `${localMinute(until)} (${left(until)} left)${note}`,
    );
  }
}

/** `pingwarden ack HOST [--note TEXT]`: only a host that is DOWN now (as the history says) can be acked. */
export async function ack(deps: AppDeps, host: string, note?: string): Promise<void> {
  const config = await readConfig(deps);
  const selector = selectorOf(host, config.targets);
  if (selector.kind !== 'host') {
    throw new UserError(`ack names one host, not ${JSON.stringify(host)} (acks are per outage)`);
  }
  const target = config.targets.find((one) => selects(selector, one))!;
  const log = commandLog(deps);
  const now = deps.clock.now();
  let rebuilt;
  try {
    rebuilt = await rebuildFromHistory(path.join(deps.paths.logsDir, 'history'), log, now);
  } finally {
    await log.close();
  }
  const state = rebuilt.states.get(target.id);
  if (state === undefined || state.status !== 'DOWN' || state.since === null) {
    throw new UserError(
      `${target.id} is not down (${state?.status ?? 'nothing recorded yet'}): there is no outage to acknowledge`,
    );
  }
  if (state.ack !== undefined) {
    deps.io.out(`${target.id}: outage since ${localMinute(state.since)} was already acknowledged`);
    return;
  }
  const files = await controlFiles(deps);
  await files.addAck({ host: target.id, at: now, note: noteOf(note) }, now);
  deps.io.out(
    `acknowledged ${target.id} (down since ${localMinute(state.since)}): no more reminders for this outage; ` +
      'RESTORED is still sent',
  );
}

function selectorOf(text: string, targets: readonly Target[]): TargetSelector {
  const selector = parseTargetSelector(text);
  if (selector === null) throw new UserError(`missing target (${SELECTOR_FORMS})`);
  const unmatched = unmatchedReason(selector, targets);
  if (unmatched !== null) throw new UserError(unmatched);
  // A host is stored as the configured id, so `unsnooze` and the file match it whatever the case typed.
  if (selector.kind === 'host') {
    const target = targets.find((one) => selects(selector, one))!;
    return { kind: 'host', host: target.id };
  }
  return selector;
}

function selectorKey(selector: TargetSelector): string {
  return formatTargetSelector(selector).toLowerCase();
}

function noteOf(note: string | undefined): string | null {
  if (note === undefined) return null;
  // eslint-disable-next-line no-control-regex
  const clean = note.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (clean.length > MAX_NOTE) throw new UserError(`--note is longer than ${MAX_NOTE} characters`);
  return clean === '' ? null : clean;
}

async function controlFiles(deps: AppDeps): Promise<ControlFiles> {
  await ensureWritableFolder(deps.paths.logsDir, { create: true });
  return new ControlFiles(deps.paths.logsDir);
}

/** `2026-12-05 22:00 +01:00`: local time to the minute, with its offset. */
function localMinute(date: Date): string {
  const text = isoWithOffset(date);
  return `${text.slice(0, 10)} ${text.slice(11, 16)} ${text.slice(23)}`;
}
