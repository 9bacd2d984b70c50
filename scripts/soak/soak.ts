/**
 * `npm run soak` (root, network lab): kill/flip cycles against the built daemon with a real SMTP server.
 *
 * Each cycle flips one lab host (down or up), SIGKILLs the daemon at a random point 0–2.5 s later, starts
 * it again and waits until it reports the state the soak made. Every fifth cycle runs with logs/ on a full
 * disk (a small tmpfs filled with dd), every fifth with logs/outbox read-only (a bind mount remounted ro):
 * the fault is made before the flip and lifted before or just after the restart. At the end every host is
 * brought up, the outbox drained, and the soak prints expected vs delivered DOWN/RESTORED per host,
 * duplicates, torn history lines, files left in the outbox, and whether `report --format json` has exactly
 * the outages the soak made. Exit 0 when everything matches, 1 when not, 2 when the lab is not available.
 *
 *   npm run soak -- [--kills N] [--hosts N] [--seed N]
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { smtpFiles } from '../../test/support/config-dir.js';
import { createLab, labUnavailableReason, type NetnsLab } from '../../test/support/netns-lab.js';
import { SmtpTestServer, type ReceivedMessage } from '../../test/support/smtp-test-server.js';
import { SoakDaemon } from './soak-daemon.js';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const user = 'alerts@example.test';
const password = 'soak password';

interface Options {
  readonly kills: number;
  readonly hosts: number;
  readonly seed: number;
}

function parseArgs(argv: readonly string[]): Options {
  const options = { kills: 40, hosts: 4, seed: 13 };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!.replace(/^--/, '') as keyof typeof options;
    const value = Number(argv[i + 1]);
    if (!(name in options) || !Number.isInteger(value) || value < 1) {
      console.error(
        `soak: unknown or bad option ${argv[i]} ${argv[i + 1] ?? ''}; use --kills N --hosts N --seed N`,
      );
      process.exit(2);
    }
    options[name] = value;
    i++;
  }
  return options;
}

/** A small deterministic generator (mulberry32): a soak run can be repeated with its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Phase = 'normal' | 'disk-full' | 'read-only';
const PHASES: readonly Phase[] = ['normal', 'normal', 'normal', 'disk-full', 'read-only'];

/** One event of one email: host, kind and the outage start it names (the key a duplicate repeats). */
interface MailEvent {
  /** The email's Message-ID: a copy with the same id is one message delivered twice, not a second alert. */
  readonly messageId: string;
  readonly host: string;
  readonly kind: 'DOWN' | 'RESTORED' | 'REMINDER' | 'OTHER';
  readonly since: string;
}

/** The events in one email (a single alert or a digest): each has an intro line and a Down since line. */
function eventsOf(message: ReceivedMessage): MailEvent[] {
  const text = message.parsed.text ?? '';
  const events: MailEvent[] = [];
  const intro = /\((198\.\d+\.\d+\.\d+)\) (is DOWN: it stopped answering|is answering again|is still DOWN)/g;
  for (const match of text.matchAll(intro)) {
    const rest = text.slice(match.index);
    const since = /^Down since \(UTC\): +(.*)$/m.exec(rest)?.[1] ?? '?';
    const phrase = match[2]!;
    const kind = phrase.startsWith('is DOWN')
      ? 'DOWN'
      : phrase.startsWith('is answering')
        ? 'RESTORED'
        : 'REMINDER';
    events.push({ messageId: message.parsed.messageId ?? '?', host: match[1]!, kind, since });
  }
  return events;
}

async function outboxFiles(logsDir: string): Promise<string[]> {
  const root = path.join(logsDir, 'outbox');
  const found: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory()) continue;
    for (const name of await readdir(path.join(root, entry.name)).catch(() => []))
      found.push(`${entry.name}/${name}`);
  }
  return found;
}

/** Torn or unreadable history lines, and whether a file ends without its newline. */
async function historyDamage(
  logsDir: string,
): Promise<{ lines: number; torn: number; unterminated: number }> {
  const dir = path.join(logsDir, 'history');
  let lines = 0;
  let torn = 0;
  let unterminated = 0;
  for (const name of (await readdir(dir)).filter((file) => file.endsWith('.jsonl'))) {
    const text = await readFile(path.join(dir, name), 'utf8');
    if (text.length > 0 && !text.endsWith('\n')) unterminated++;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      lines++;
      try {
        JSON.parse(line);
      } catch {
        torn++;
      }
    }
  }
  return { lines, torn, unterminated };
}

/** Runs `mount`/`umount` and friends; a busy mount (a write in flight) is tried again for a few seconds. */
async function mountCommand(args: readonly string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await run(args[0]!, args.slice(1));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await pause(50);
    }
  }
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const reason = await labUnavailableReason();
  if (reason !== null) {
    console.error(`soak: needs the network lab (root): ${reason}`);
    return 2;
  }
  const next = random(options.seed);
  console.log(`soak: ${options.kills} kills, ${options.hosts} hosts, seed ${options.seed}`);
  console.log(
    `soak: load at start: ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')} (${os.cpus().length} cores)`,
  );

  const root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-soak-'));
  const configDir = path.join(root, 'config');
  const logsDir = path.join(root, 'logs');
  const outboxDir = path.join(logsDir, 'outbox');
  const filler = path.join(logsDir, 'filler');
  const mounts: string[] = [];
  let lab: NetnsLab | undefined;
  let smtp: SmtpTestServer | undefined;
  let daemon: SoakDaemon | undefined;
  const cleanup = async () => {
    await daemon?.stop('SIGKILL').catch(() => undefined);
    for (const mount of mounts.reverse()) execFileSync('umount', ['-l', mount], { stdio: 'ignore' });
    mounts.length = 0;
    await lab?.destroy().catch((error: unknown) => console.error(`soak: ${String(error)}`));
    await smtp?.stop().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  };
  const interrupted = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    lab = await createLab();
    smtp = await SmtpTestServer.start({ user, password });
    const hosts = Array.from({ length: options.hosts }, (_, i) => lab!.host(i));
    for (const host of hosts) await lab.addHost(host);
    await mkdir(configDir, { recursive: true });
    const files: Record<string, string> = {
      'hosts.csv': hosts.map((host, i) => `${host},soak host ${i + 1},\n`).join(''),
      'settings.csv':
        [
          'interval_seconds,1',
          'attempts,1',
          'timeout_seconds,1',
          'packets,1',
          'realert_seconds,0',
          'flap_high_percent,0',
          'history_alive_seconds,10',
          'smtp_allow_self_signed,yes',
          'smtp_timeout_seconds,2',
          'outbox_retry_max_seconds,2',
        ].join('\n') + '\n',
      ...smtpFiles(smtp.port, user, password, ['ops@example.test']),
    };
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(configDir, name), text);
    await mkdir(logsDir);
    await mountCommand(['mount', '-t', 'tmpfs', '-o', 'size=4m', 'pw-soak-logs', logsDir]);
    mounts.push(logsDir);
    await mkdir(outboxDir);
    await mountCommand(['mount', '--bind', outboxDir, outboxDir]);
    mounts.push(outboxDir);

    const down = new Set<string>();
    const flips = new Map(hosts.map((host) => [host, { down: 0, up: 0 }]));
    const phaseCounts: Record<Phase, number> = { normal: 0, 'disk-full': 0, 'read-only': 0 };
    const refusedStarts: string[] = [];
    /** Every earlier daemon's output (PINGWARDEN_SOAK_LOG=file writes it there at the end). */
    const daemonLines: string[] = [];
    /** What each kill did, printed when something does not match. */
    const journal: string[] = [];
    const cycleWith = (count: number) => new RegExp(`cycle hosts=${hosts.length} up=\\d+ down=${count} `);

    const startDaemon = async () => {
      if (daemon) daemonLines.push('--- restart ---', ...daemon.lines);
      daemon = new SoakDaemon(repoRoot, configDir, logsDir);
      await daemon.waitForLine(/ cycle hosts=/, 0, 30_000);
    };
    const fault = async (phase: Phase) => {
      if (phase === 'disk-full') {
        // dd stops with "No space left on device": the point.
        await run('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k']).catch(() => undefined);
      } else if (phase === 'read-only') {
        await mountCommand(['mount', '-o', 'remount,bind,ro', outboxDir]);
      }
    };
    const lift = async (phase: Phase) => {
      if (phase === 'disk-full') await rm(filler, { force: true });
      else if (phase === 'read-only') await mountCommand(['mount', '-o', 'remount,bind,rw', outboxDir]);
    };

    await startDaemon();
    const began = Date.now();
    for (let kill = 0; kill < options.kills; kill++) {
      const phase = PHASES[kill % PHASES.length]!;
      phaseCounts[phase]++;
      await fault(phase);
      const host = hosts[Math.floor(next() * hosts.length)]!;
      if (down.has(host)) {
        await lab.addHost(host);
        down.delete(host);
        flips.get(host)!.up++;
      } else {
        await lab.removeHost(host);
        down.add(host);
        flips.get(host)!.down++;
      }
      // The kill point: before the daemon noticed, while it holds the alert, or after it was stored.
      const delay = Math.floor(next() * 2500);
      journal.push(
        `kill ${kill + 1} ${phase}: ${host} ${down.has(host) ? 'down' : 'up'}, SIGKILL after ${delay} ms`,
      );
      await pause(delay);
      await daemon!.stop('SIGKILL');
      // A read-only outbox refuses the start (logs folder not writable, exit 2): lift it first. A full
      // disk is lifted before the restart or after its first cycle, half the time each.
      const liftFirst = phase === 'read-only' || next() < 0.5;
      if (liftFirst) await lift(phase);
      try {
        await startDaemon();
      } catch (error) {
        refusedStarts.push(`${phase}: ${String(error).split('\n')[0]}`);
        await lift(phase);
        await startDaemon();
      }
      if (!liftFirst) await lift(phase);
      const from = daemon!.lines.length;
      await daemon!.waitForLine(cycleWith(down.size), from, 30_000);
      if ((kill + 1) % 10 === 0) {
        console.log(`soak: ${kill + 1} kills, ${Math.round((Date.now() - began) / 1000)} s`);
      }
    }
    for (const host of [...down]) {
      await lab.addHost(host);
      down.delete(host);
      flips.get(host)!.up++;
    }
    await daemon!.waitForLine(cycleWith(0), daemon!.lines.length, 30_000);
    const expectedMails = [...flips.values()].reduce((sum, f) => sum + f.down + f.up, 0);
    const settleBy = Date.now() + 60_000;
    const delivered = () => smtp!.messages.flatMap(eventsOf).length;
    while (
      Date.now() < settleBy &&
      ((await outboxFiles(logsDir)).length > 0 || delivered() < expectedMails)
    ) {
      await pause(100);
    }
    // A few more cycles: a duplicate sent late would show now.
    const mark = daemon!.lines.length;
    for (let i = 0; i < 3; i++)
      await daemon!.waitForLine(/ cycle hosts=/, mark + i + 1, 15_000).catch(() => '');
    const stopCode = await daemon!.stop('SIGTERM');

    const events = smtp.messages.flatMap(eventsOf);
    const seen = new Map<string, MailEvent[]>();
    for (const event of events) {
      const key = `${event.host} ${event.kind} ${event.since}`;
      seen.set(key, [...(seen.get(key) ?? []), event]);
    }
    // A second alert for the same event (a new message) is a duplicate; the same message delivered again
    // (sent, then its removal from the outbox failed and the process died) is counted apart: the receiver
    // sees the same Message-ID, and nothing durable can prevent it on a read-only disk.
    let duplicates = 0;
    let resent = 0;
    for (const copies of seen.values()) {
      const ids = new Set(copies.map((copy) => copy.messageId));
      duplicates += ids.size - 1;
      resent += copies.length - ids.size;
    }
    // Per host and kind, each message counts once (a re-delivery is counted as `resent` above).
    const unique = [...new Map(events.map((e) => [`${e.messageId} ${e.host} ${e.kind}`, e])).values()];
    const report = await run(process.execPath, [
      path.join(repoRoot, 'bin/pingwarden.js'),
      'report',
      '--format',
      'json',
      '--config',
      configDir,
      '--logs',
      logsDir,
    ]);
    const json = JSON.parse(report.stdout) as {
      hosts: { host: string; outages: { end: string | null }[] }[];
    };
    const outages = new Map(json.hosts.map((entry) => [entry.host, entry.outages]));
    const damage = await historyDamage(logsDir);
    const leftovers = await outboxFiles(logsDir);

    console.log('');
    console.log('host              DOWN exp/got  RESTORED exp/got  report outages (open)');
    let lost = 0;
    let extra = 0;
    let reportMatches = true;
    for (const host of hosts) {
      const want = flips.get(host)!;
      const gotDown = unique.filter((e) => e.host === host && e.kind === 'DOWN').length;
      const gotUp = unique.filter((e) => e.host === host && e.kind === 'RESTORED').length;
      lost += Math.max(0, want.down - gotDown) + Math.max(0, want.up - gotUp);
      extra += Math.max(0, gotDown - want.down) + Math.max(0, gotUp - want.up);
      const list = outages.get(host) ?? [];
      const open = list.filter((o) => o.end === null).length;
      if (list.length !== want.down || open !== 0) reportMatches = false;
      console.log(
        `${host.padEnd(16)}  ${`${want.down}/${gotDown}`.padStart(12)}  ${`${want.up}/${gotUp}`.padStart(16)}  ` +
          `${list.length} (${open})`,
      );
    }
    const others = events.filter((e) => e.kind !== 'DOWN' && e.kind !== 'RESTORED').length;
    console.log('');
    console.log(
      `kills: ${options.kills} (normal ${phaseCounts.normal}, disk-full ${phaseCounts['disk-full']}, read-only ${phaseCounts['read-only']}) in ${Math.round((Date.now() - began) / 1000)} s`,
    );
    console.log(
      `emails: ${smtp.messages.length} carrying ${events.length} events (expected ${expectedMails}); other kinds: ${others}`,
    );
    console.log(
      `lost alerts: ${lost}; extra alerts: ${extra}; duplicates (same host, kind, outage start; new message): ${duplicates}; same message delivered again: ${resent}`,
    );
    console.log(
      `history: ${damage.lines} lines, ${damage.torn} torn or unreadable, ${damage.unterminated} files without final newline`,
    );
    console.log(
      `outbox orphans: ${leftovers.length}${leftovers.length > 0 ? ` (${leftovers.join(', ')})` : ''}`,
    );
    console.log(`report --format json matches the flips: ${reportMatches ? 'yes' : 'no'}`);
    console.log(
      `daemon starts refused under a fault: ${refusedStarts.length}${refusedStarts.length > 0 ? ` (${refusedStarts[0]})` : ''}`,
    );
    console.log(`clean stop exit code: ${String(stopCode)}`);
    console.log(
      `soak: load at end: ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
    if (process.env.PINGWARDEN_SOAK_LOG) {
      await writeFile(
        process.env.PINGWARDEN_SOAK_LOG,
        [...daemonLines, '--- last ---', ...daemon!.lines].join('\n'),
      );
    }
    for (const [key, copies] of seen) {
      if (copies.length > 1)
        console.log(`repeated: ${key} x${copies.length} (${copies.map((c) => c.messageId).join(' ')})`);
    }
    if (process.env.PINGWARDEN_SOAK_VERBOSE === '1' || lost + extra + duplicates > 0) {
      for (const line of journal) console.log(`  ${line}`);
      for (const message of smtp.messages) {
        console.log(`  mail ${new Date(message.receivedAt).toISOString()} ${message.parsed.subject ?? ''}`);
      }
    }
    const ok =
      lost === 0 &&
      extra === 0 &&
      duplicates === 0 &&
      damage.torn === 0 &&
      leftovers.length === 0 &&
      reportMatches;
    console.log(ok ? 'soak: PASS' : 'soak: FAIL');
    return ok ? 0 : 1;
  } catch (error) {
    console.error(`soak: failed: ${error instanceof Error ? error.message : String(error)}`);
    if (daemon) console.error(`soak: daemon's last lines:\n${daemon.tail(30)}`);
    return 1;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanup();
  }
}

process.exitCode = await main();
