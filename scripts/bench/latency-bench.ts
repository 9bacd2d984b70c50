import type { NetnsLab } from '../../test/support/netns-lab.js';
import { smtpFiles, tempSite } from '../../test/support/config-dir.js';
import { SmtpTestServer } from '../../test/support/smtp-test-server.js';
import { hostsCsv } from './bench-lab.js';
import { DaemonProcess } from './daemon-process.js';
import { median } from './measure.js';

/** The setting for this measurement. */
export const LATENCY_INTERVAL_S = 10;
const ATTEMPTS = 3;
const TIMEOUT_S = 1;
/** The target: a host that goes silent is reported within one interval, its attempts, and a second. */
export const LATENCY_BOUND_S = LATENCY_INTERVAL_S + ATTEMPTS * TIMEOUT_S + 1;

/** Detection latencies of one host count. */
export interface LatencyResult {
  readonly hosts: number;
  readonly backend: string;
  /** Seconds from the host going silent to its DOWN email being accepted, one per trial. */
  readonly latenciesS: readonly number[];
  readonly medianS: number;
  readonly maxS: number;
}

/** How long after a cycle starts its first host has surely been probed (fping starts within milliseconds). */
const WORST_PHASE_MS = 150;
const USER = 'bench@example.test';
const PASSWORD = 'bench-password';

/**
 * A daemon with `interval_seconds` 10 watches `count` lab hosts (all answering) through fping, with email
 * going to a local SMTP server. Each trial silences one host at some phase of a cycle and times how long
 * until the server has accepted its DOWN email; the host then comes back and its RESTORED email is awaited
 * before the next trial.
 */
export async function benchLatency(
  lab: NetnsLab,
  count: number,
  trials: number,
  options: { readonly repoRoot: string; readonly say: (line: string) => void },
): Promise<LatencyResult> {
  const { say } = options;
  const target = lab.host(7);
  await lab.addHost(target);
  // The watched host goes first: it is probed at the very start of a cycle, the worst place for latency.
  const others = Array.from({ length: count - 1 }, (_, i) => lab.largeAnsweringHost(i));
  const smtp = await SmtpTestServer.start({ user: USER, password: PASSWORD });
  const site = await tempSite({
    'hosts.csv': hostsCsv([target, ...others]),
    'settings.csv': [
      `interval_seconds,${LATENCY_INTERVAL_S}`,
      `attempts,${ATTEMPTS}`,
      `timeout_seconds,${TIMEOUT_S}`,
      'pinger,fping',
      'smtp_allow_self_signed,yes',
      '',
    ].join('\n'),
    ...smtpFiles(smtp.port, USER, PASSWORD, ['noc@example.test']),
  });
  const daemon = new DaemonProcess(options.repoRoot, site.configDir, site.logsDir);
  const latenciesS: number[] = [];
  try {
    await daemon.waitForCycles(1, 60_000);
    for (let trial = 1; trial <= trials; trial++) {
      // Trial 1 silences the host just after its probe (it is first in the list): the worst phase, since the
      // silence then waits a whole interval to be probed. The other trials pick a random phase.
      const last = (await daemon.waitForCycles(daemon.samples.length + 1, 60_000)).at(-1);
      if (last === undefined) throw new Error('no cycle');
      const nextCycleStart = last.at - last.cycleMs + LATENCY_INTERVAL_S * 1000;
      const phaseMs = trial === 1 ? WORST_PHASE_MS : Math.random() * LATENCY_INTERVAL_S * 1000;
      await sleep(Math.max(0, nextCycleStart + phaseMs - Date.now()));
      const mails = smtp.messages.length;
      const silencedAt = Date.now();
      await lab.removeHost(target);
      const [down] = await waitForMail(smtp, mails, 'DOWN', target, 60_000);
      const latencyS = ((down?.receivedAt ?? NaN) - silencedAt) / 1000;
      latenciesS.push(latencyS);
      const phase = trial === 1 ? 'just after its probe' : `${(phaseMs / 1000).toFixed(1)} s into a cycle`;
      say(
        `  ${count} hosts, trial ${trial}/${trials} (silenced ${phase}): DOWN email accepted ${latencyS.toFixed(2)} s later`,
      );
      await lab.addHost(target);
      await waitForMail(smtp, mails + 1, 'RESTORED', target, 60_000);
    }
    return {
      hosts: count,
      backend: 'fping',
      latenciesS,
      medianS: median(latenciesS),
      maxS: Math.max(...latenciesS),
    };
  } finally {
    await daemon.stop();
    await smtp.stop();
    await site.remove();
    await lab.removeHost(target).catch(() => undefined);
  }
}

/** Waits until message number `index` (0-based) has arrived and is the `kind` alert for `host`. */
async function waitForMail(
  smtp: SmtpTestServer,
  index: number,
  kind: string,
  host: string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (smtp.messages.length <= index) {
    if (Date.now() > deadline) throw new Error(`no ${kind} email for ${host} within ${timeoutMs} ms`);
    await sleep(20);
  }
  const message = smtp.messages[index];
  const subject = message?.parsed.subject ?? '';
  if (!subject.includes(kind) || !subject.includes(host))
    throw new Error(`expected a ${kind} email for ${host}, got "${subject}"`);
  return [message];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
