import type { Command } from 'commander';

import { PlugError, type PlugInfo } from '../../actions/kasa/plug.js';
import { errorMessage } from '../../shared/errors.js';
import { cycleRules } from '../../monitor/power-cycle-rules.js';
import { formatDuration } from '../../shared/format-duration.js';
import { buildPlugs } from '../../app/build-plugs.js';
import { commandLog, type AppDeps } from '../../app/deps.js';
import { readConfig } from '../../app/read-config.js';
import { commandWithPaths, type PathOptions } from './path-options.js';

/** The app dependencies for a command's `--config`/`--logs`, and how a command reports its exit code. */
export interface KasaCommandIo {
  deps(options: PathOptions): AppDeps;
  exit(code: number): void;
}

/**
 * Adds `pingwarden kasa discover|status|cycle NAME` to the program: plug tools that read the same config
 * (kasa.csv, the kasa_* settings) and cache file as the daemon.
 */
export function addKasaCommands(program: Command, io: KasaCommandIo): void {
  const kasa = program.command('kasa').description('Kasa smart plug tools: discover, status, cycle NAME');
  const sub = (name: string, description: string) =>
    commandWithPaths(kasa, name, description, 'folder for log files and the plug cache');

  sub('discover', 'find plugs on the LAN; print alias, address, model and state; refresh the cache').action(
    async (options: PathOptions) => io.exit(await discover(io.deps(options))),
  );
  sub('status', 'show the state of every plug the configuration names').action(async (options: PathOptions) =>
    io.exit(await status(io.deps(options))),
  );
  sub('cycle', 'power-cycle one plug now: off, wait, on')
    .argument('<name>', 'kasa.csv name, Kasa alias or IPv4 address of the plug')
    .option('--off-seconds <n>', 'how long the plug stays off (default: cycle_off_seconds)')
    .action(async (name: string, options: PathOptions & { offSeconds?: string }) =>
      io.exit(await cycle(io.deps(options), name, options.offSeconds)),
    );
}

async function discover(deps: AppDeps): Promise<number> {
  const { io } = deps;
  const config = await readConfig(deps);
  // Plug commands log only warnings and errors, to the console (stderr).
  const log = commandLog(deps);
  try {
    const { directory } = buildPlugs(config, deps.paths.logsDir, deps.clock, log);
    const found = await directory.discoverAll();
    if (found.length === 0) {
      io.out(
        `no plugs found (broadcast ${config.settings.kasaDiscoveryBroadcast}, ` +
          `${config.settings.kasaDiscoverySeconds}s)`,
      );
      return 0;
    }
    io.out(table(['ALIAS', 'ADDRESS', 'MODEL', 'STATE'], found.map(rowOf)));
    return 0;
  } finally {
    await log.close();
  }
}

async function status(deps: AppDeps): Promise<number> {
  const { io } = deps;
  const config = await readConfig(deps);
  const names = new Map<string, string>();
  const add = (name: string) => {
    if (name !== '' && !names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
  };
  for (const plug of config.kasaPlugs ?? []) add(plug.name);
  for (const rule of cycleRules(config.targets)) add(rule.plug);
  add(config.settings.indicatorLamp);
  if (names.size === 0) {
    io.out('no plugs configured (kasa.csv, cycle: options in hosts.csv, indicator_lamp in settings.csv)');
    return 0;
  }
  const log = commandLog(deps);
  try {
    const { directory } = buildPlugs(config, deps.paths.logsDir, deps.clock, log);
    let failures = 0;
    const rows: string[][] = [];
    for (const name of names.values()) {
      try {
        const plug = await directory.find(name);
        rows.push([name, ...rowOf(await plug.describe())]);
      } catch (error) {
        failures++;
        rows.push([name, '-', '-', '-', `unreachable: ${errorMessage(error)}`]);
      }
    }
    io.out(table(['NAME', 'ALIAS', 'ADDRESS', 'MODEL', 'STATE'], rows));
    return failures === 0 ? 0 : 1;
  } finally {
    await log.close();
  }
}

async function cycle(deps: AppDeps, name: string, offText: string | undefined): Promise<number> {
  const { io, clock } = deps;
  const config = await readConfig(deps);
  let offSeconds = config.settings.cycleOffSeconds;
  if (offText !== undefined) {
    if (!/^[0-9]{1,4}$/.test(offText) || Number(offText) < 1 || Number(offText) > 3600) {
      io.err(`pingwarden: --off-seconds must be an integer from 1 to 3600, got ${JSON.stringify(offText)}`);
      return 2;
    }
    offSeconds = Number(offText);
  }
  const log = commandLog(deps);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { directory, plugs } = buildPlugs(config, deps.paths.logsDir, clock, log);
    const plug = await directory.find(name);
    const sameName = plug.alias.toLowerCase() === name.toLowerCase() || plug.alias === plug.address;
    const at = sameName ? plug.address : `${plug.alias} at ${plug.address}`;
    try {
      await plugs.switchTo(name, false);
    } catch (error) {
      // It may have gone off without saying so: never leave it off.
      await plugs.switchTo(name, true).catch(() => undefined);
      throw error;
    }
    io.out(`${name} (${at}): off`);
    const offAt = clock.now().getTime();
    await clock.sleep(offSeconds * 1000, stop.signal);
    // Whatever happened during the wait (Ctrl-C included), the plug goes back on.
    await plugs.switchTo(name, true);
    const offFor = formatDuration(clock.now().getTime() - offAt);
    io.out(`${name} (${at}): on again after ${offFor}${stop.signal.aborted ? ' (interrupted)' : ''}`);
    return 0;
  } catch (error) {
    if (!(error instanceof PlugError)) throw error;
    io.err(`pingwarden: ${error.message}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await log.close();
  }
}

function rowOf(info: PlugInfo): string[] {
  return [info.alias, info.address, info.model || '-', info.on ? 'on' : 'off'];
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  '),
    )
    .join('\n');
}
