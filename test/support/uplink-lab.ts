import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { LAB_SAFETY_RANGE } from './netns-lab.js';

/**
 * A lab with two uplinks of different latency and a three-hop path behind them, for deep-probe tests
 * (DESIGN.md, "The network lab"; requireLab from netns-lab.ts decides whether it can run). Slot k uses
 * 198.18.(64+k).0/24 (B below), apart from netns-lab's addresses:
 *
 *   root ns ─ pwup<k>a B.1/30 ── B.2  fast uplink ns (forwards) B.9 ──┐
 *           ─ pwup<k>b B.5/30 ── B.6  slow uplink ns (forwards) B.13 ─┤
 *                                            core ns (forwards) B.10/B.14, B.17 ── B.18 dst ns, lo: B.130
 *
 *   B.128/25 (and the inner links B.8/29, B.16/30) is routed from the root namespace over both uplinks (fast one preferred), so `ping -I pwup<k>b`
 *   or `traceroute -i pwup<k>b` takes the slow path. A traceroute to {@link traceTarget} shows three hops:
 *   the uplink (B.2 or B.6), the core (B.10 or B.14) and the target. {@link pingTarget} (B.200) is answered
 *   inside each uplink namespace by a TUN echo responder (test/support/tun-responder.py) after that uplink's
 *   delay; {@link deadTarget} (B.250) is routed but answered by nobody.
 */

const run = promisify(execFile);
const RESPONDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tun-responder.py');
const SLOTS = 8;
const LINK = /^pwup(\d+)a$/;
// Namespaces: pwup-<pid>-<slot>-<role>
const NAMESPACE = /^pwup-(\d+)-/;

/** Latency of each uplink, in milliseconds (added by the TUN responders). */
export interface UplinkDelays {
  readonly fastMs: number;
  readonly slowMs: number;
}

/** The two-uplink lab; create with {@link createUplinkLab}, always {@link UplinkLab.destroy} in `after`. */
export class UplinkLab {
  readonly fastLink: string;
  readonly slowLink: string;
  /** Monitor-side addresses of the uplinks (usable as a Source address). */
  readonly fastSource: string;
  readonly slowSource: string;
  /** The uplink routers as the first hop, and their /30 links, for route checks. */
  readonly fastGateway: string;
  readonly slowGateway: string;
  readonly fastNet: string;
  readonly slowNet: string;
  /** The core router, as seen from each uplink. */
  readonly coreViaFast: string;
  readonly coreViaSlow: string;
  readonly traceTarget: string;
  readonly pingTarget: string;
  readonly deadTarget: string;
  /** Everything of this lab: B.0/24. */
  readonly range: string;
  readonly namespaces: { fast: string; slow: string; core: string; dst: string };
  /** Routing table and rule priority of the slow uplink's source-address policy (see build). */
  readonly policyTable: number;
  private readonly responders: ChildProcess[] = [];
  private extraResponders = 0;
  private destroyed = false;

  constructor(readonly slot: number) {
    const b = `198.18.${64 + slot}`;
    this.policyTable = 19864 + slot;
    this.range = `${b}.0/24`;
    this.fastLink = `pwup${slot}a`;
    this.slowLink = `pwup${slot}b`;
    this.fastSource = `${b}.1`;
    this.fastGateway = `${b}.2`;
    this.fastNet = `${b}.0/30`;
    this.slowSource = `${b}.5`;
    this.slowGateway = `${b}.6`;
    this.slowNet = `${b}.4/30`;
    this.coreViaFast = `${b}.10`;
    this.coreViaSlow = `${b}.14`;
    this.traceTarget = `${b}.130`;
    this.pingTarget = `${b}.200`;
    this.deadTarget = `${b}.250`;
    const ns = (role: string) => `pwup-${process.pid}-${slot}-${role}`;
    this.namespaces = { fast: ns('fast'), slow: ns('slow'), core: ns('core'), dst: ns('dst') };
  }

  /** Builds namespaces, links, routes and the responders. */
  async build(delays: UplinkDelays): Promise<void> {
    const b = this.range.slice(0, -'.0/24'.length);
    const { fast, slow, core, dst } = this.namespaces;
    for (const ns of [fast, slow, core, dst]) {
      await ip('netns', 'add', ns);
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      // Every hop must answer every traceroute probe: no ICMP rate limit inside the lab.
      await sysctl(ns, 'net.ipv4.icmp_ratelimit', '0');
    }
    for (const ns of [fast, slow, core]) await sysctl(ns, 'net.ipv4.ip_forward', '1');

    // Root ends: the slot's lock is created first (atomic), see createUplinkLab.
    await ip('link', 'set', this.fastLink, 'alias', `pid=${process.pid}`);
    await movePeer(this.fastLink, fast, 'eth0');
    await ip('link', 'add', this.slowLink, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', slow);
    await ip('-n', slow, 'link', 'set', 'eth0', 'up');
    await veth(fast, 'eth1', core, 'eth0');
    await veth(slow, 'eth1', core, 'eth1');
    await veth(core, 'eth2', dst, 'eth0');

    await addr(null, this.fastLink, `${b}.1/30`);
    await addr(null, this.slowLink, `${b}.5/30`);
    await addr(fast, 'eth0', `${b}.2/30`);
    await addr(slow, 'eth0', `${b}.6/30`);
    await addr(fast, 'eth1', `${b}.9/30`);
    await addr(core, 'eth0', `${b}.10/30`);
    await addr(slow, 'eth1', `${b}.13/30`);
    await addr(core, 'eth1', `${b}.14/30`);
    await addr(core, 'eth2', `${b}.17/30`);
    await addr(dst, 'eth0', `${b}.18/30`);
    await ip('-n', dst, 'address', 'add', `${this.traceTarget}/32`, 'dev', 'lo');
    // Replies arrive on the uplink the probe left by, which is not always the preferred route back.
    for (const link of [this.fastLink, this.slowLink]) {
      await run('sysctl', ['-q', '-w', `net.ipv4.conf.${link}.rp_filter=2`]);
    }

    await this.addUplinkRoutes('fast');
    await this.addUplinkRoutes('slow');
    // Policy routing, so that a Source *address* also picks the uplink: packets from the slow uplink's
    // address use a table that routes the lab over the slow uplink (the fast one's address needs nothing).
    await this.addUplinkRoutes('slow', String(this.policyTable));
    await ip(
      'rule',
      'add',
      'from',
      this.slowSource,
      'lookup',
      String(this.policyTable),
      'pref',
      String(this.policyTable),
    );
    await ip('-n', fast, 'route', 'add', `${b}.128/25`, 'via', `${b}.10`);
    await ip('-n', slow, 'route', 'add', `${b}.128/25`, 'via', `${b}.14`);
    await ip('-n', core, 'route', 'add', `${b}.128/25`, 'via', `${b}.18`);
    await ip('-n', core, 'route', 'add', `${b}.0/30`, 'via', `${b}.9`);
    await ip('-n', core, 'route', 'add', `${b}.4/30`, 'via', `${b}.13`);
    await ip('-n', dst, 'route', 'add', 'default', 'via', `${b}.17`);

    await this.startResponder(fast, delays.fastMs);
    await this.startResponder(slow, delays.slowMs);
  }

  /**
   * The primary line fails: the fast uplink goes down, and with it its routes, so traffic fails over to
   * the slow uplink as behind a failover router. Everything still answers, only slower and by another path.
   */
  async failPrimary(): Promise<void> {
    await ip('link', 'set', this.fastLink, 'down');
  }

  /** Brings the fast uplink and its (preferred) routes back after {@link failPrimary}. */
  async restorePrimary(): Promise<void> {
    await ip('link', 'set', this.fastLink, 'up');
    await this.addUplinkRoutes('fast');
  }

  /**
   * One more echo responder, in the fast uplink's namespace, for `address` (in B.128/25, outside the
   * addresses above: B.201 to B.249), answering after `delayMs` and dropping `dropPercent` of the requests
   * (spread evenly, so every run sees the same loss). The handle changes both while it runs.
   */
  async addResponder(
    address: string,
    options: { delayMs: number; dropPercent?: number },
  ): Promise<LinkResponder> {
    const name = `tun${this.extraResponders + 1}`;
    this.extraResponders += 1;
    const child = await this.spawnResponder(this.namespaces.fast, name, [
      '--delay-ms',
      String(options.delayMs),
      '--drop-percent',
      String(options.dropPercent ?? 0),
    ]);
    await ip('-n', this.namespaces.fast, 'link', 'set', name, 'up');
    await ip('-n', this.namespaces.fast, 'route', 'add', `${address}/32`, 'dev', name);
    return new LinkResponder(child);
  }

  private async addUplinkRoutes(which: 'fast' | 'slow', table = 'main'): Promise<void> {
    const b = this.range.slice(0, -'.0/24'.length);
    const [gateway, link, metric] =
      which === 'fast' ? [this.fastGateway, this.fastLink, '100'] : [this.slowGateway, this.slowLink, '200'];
    // The routers' inner links too, so that their ICMP answers pass the loose reverse-path check.
    for (const prefix of [`${b}.128/25`, `${b}.8/29`, `${b}.16/30`]) {
      await ip('route', 'replace', prefix, 'via', gateway, 'dev', link, 'metric', metric, 'table', table);
    }
  }

  private async startResponder(ns: string, delayMs: number): Promise<void> {
    await this.spawnResponder(ns, 'tun0', ['--delay-ms', String(delayMs)]);
    await ip('-n', ns, 'link', 'set', 'tun0', 'up');
    await ip('-n', ns, 'route', 'add', `${this.pingTarget}/32`, 'dev', 'tun0');
  }

  private async spawnResponder(ns: string, name: string, args: readonly string[]): Promise<ChildProcess> {
    const child = spawn('ip', ['netns', 'exec', ns, 'python3', RESPONDER, '--name', name, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.responders.push(child);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`TUN responder in ${ns} did not start: ${output}`)),
        10_000,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(`ready ${name}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`TUN responder in ${ns} exited with ${code}: ${output}`));
      });
    });
    child.removeAllListeners('exit');
    child.stdout?.removeAllListeners('data');
    child.stderr?.removeAllListeners('data');
    return child;
  }

  /** Stops the responders, removes the root links (freeing the slot) and the namespaces. Safe to call twice. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    live.delete(this);
    await Promise.all(this.responders.map((child) => stopChild(child)));
    for (const args of this.teardownCommands()) await ip(...args).catch(() => undefined);
  }

  /** {@link destroy} for the process 'exit' handler. */
  destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const child of this.responders) child.kill('SIGKILL');
    for (const args of this.teardownCommands()) {
      try {
        execFileSync('ip', args, { stdio: 'ignore' });
      } catch {
        // Gone already; cleanupStaleUplinkLabs catches the rest.
      }
    }
  }

  private teardownCommands(): string[][] {
    return [
      ['rule', 'del', 'pref', String(this.policyTable)],
      ['link', 'del', this.fastLink],
      ['link', 'del', this.slowLink],
      ...Object.values(this.namespaces).map((ns) => ['netns', 'del', ns]),
    ];
  }
}

const live = new Set<UplinkLab>();
let exitHandler = false;

/**
 * Creates the lab in the first free slot (the root end `pwup<k>a` is the slot's lock, as in netns-lab),
 * after removing leftovers of dead runs. Call requireLab(this) first.
 */
export async function createUplinkLab(delays: UplinkDelays): Promise<UplinkLab> {
  await cleanupStaleUplinkLabs();
  if (!exitHandler) {
    process.on('exit', () => {
      for (const lab of live) lab.destroySync();
    });
    exitHandler = true;
  }
  // As in netns-lab: a probe still running after the lab is gone must not leave this machine.
  await ip('route', 'replace', 'unreachable', LAB_SAFETY_RANGE, 'metric', '4294967295');
  for (let slot = 0; slot < SLOTS; slot++) {
    const lab = new UplinkLab(slot);
    try {
      // The peer is created in the root namespace under a temporary name and moved once the namespace exists.
      await ip('link', 'add', lab.fastLink, 'type', 'veth', 'peer', 'name', `pwup${slot}p`);
    } catch (error) {
      if (String(error).includes('File exists')) continue;
      throw error;
    }
    live.add(lab);
    try {
      await lab.build(delays);
      return lab;
    } catch (error) {
      await lab.destroy();
      throw error;
    }
  }
  throw new Error(`all ${SLOTS} uplink lab slots are in use`);
}

/** Removes links and namespaces of uplink labs whose process is gone. */
export async function cleanupStaleUplinkLabs(): Promise<void> {
  const { stdout: links } = await ip('-o', 'link', 'show');
  for (const line of links.split('\n')) {
    const name = /^\d+: ([^:@]+)/.exec(line)?.[1];
    const slot = name === undefined ? undefined : LINK.exec(name)?.[1];
    const pid = /alias pid=(\d+)/.exec(line)?.[1];
    if (slot === undefined || pid === undefined || alive(Number(pid))) continue;
    await ip('link', 'del', `pwup${slot}a`).catch(() => undefined);
    await ip('link', 'del', `pwup${slot}b`).catch(() => undefined);
    await ip('rule', 'del', 'pref', String(19864 + Number(slot))).catch(() => undefined);
  }
  const { stdout: namespaces } = await ip('netns', 'list');
  for (const ns of namespaces.split('\n').map((l) => l.split(' ')[0] ?? '')) {
    const pid = NAMESPACE.exec(ns)?.[1];
    if (pid !== undefined && !alive(Number(pid))) await ip('netns', 'del', ns).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function movePeer(rootLink: string, ns: string, name: string): Promise<void> {
  const slot = /^pwup(\d+)a$/.exec(rootLink)?.[1] ?? '';
  await ip('link', 'set', `pwup${slot}p`, 'netns', ns);
  await ip('-n', ns, 'link', 'set', `pwup${slot}p`, 'name', name);
  await ip('-n', ns, 'link', 'set', name, 'up');
  await ip('link', 'set', rootLink, 'up');
}

async function veth(nsA: string, nameA: string, nsB: string, nameB: string): Promise<void> {
  await ip('-n', nsA, 'link', 'add', nameA, 'type', 'veth', 'peer', 'name', nameB, 'netns', nsB);
  await ip('-n', nsA, 'link', 'set', nameA, 'up');
  await ip('-n', nsB, 'link', 'set', nameB, 'up');
}

async function addr(ns: string | null, dev: string, cidr: string): Promise<void> {
  if (ns === null) {
    await ip('address', 'add', cidr, 'dev', dev);
    await ip('link', 'set', dev, 'up');
  } else {
    await ip('-n', ns, 'address', 'add', cidr, 'dev', dev);
  }
}

async function sysctl(ns: string, key: string, value: string): Promise<void> {
  await run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', `${key}=${value}`]);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Closing stdin is the responder's signal to quit; the kill is for a responder that is stuck.
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}

async function ip(...args: string[]): Promise<{ stdout: string }> {
  try {
    return await run('ip', args);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`ip ${args.join(' ')}: ${stderr || String(error)}`, { cause: error });
  }
}

/** A running responder of {@link UplinkLab.addResponder}. */
export class LinkResponder {
  constructor(private readonly child: ChildProcess) {}

  /** Changes the share of requests dropped from now on. */
  drop(percent: number): Promise<void> {
    return this.command(`drop ${percent}`);
  }

  /** Changes the reply delay from now on. */
  delay(ms: number): Promise<void> {
    return this.command(`delay ${ms}`);
  }

  private command(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`responder did not acknowledge "${line}"`)), 5_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(`ok ${line}`)) {
          clearTimeout(timer);
          this.child.stdout?.off('data', onData);
          resolve();
        }
      };
      this.child.stdout?.on('data', onData);
      this.child.stdin?.write(`${line}\n`);
    });
  }
}
