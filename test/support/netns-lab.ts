import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

import { errorMessage } from '../../lib/shared/errors.js';

/**
 * The network lab for tests and benchmarks (see "The network lab" in DESIGN.md): a network namespace joined
 * to the root namespace by a veth pair, holding test hosts at 198.19.x.x addresses that exist only in it.
 *
 * Several test runs may share this machine, so each lab takes one of {@link LAB_SLOTS} slots, each with its
 * own addresses. For slot k (slot 0 shown):
 *
 *   root ns  pwslot0 198.18.0.1/30  ──veth──  eth0 198.18.0.2/30   netns pwlab-<pid>-<n>
 *   route 198.19.0.0/19 via 198.18.0.2        lo: AnyIP local route 198.19.0.0/20 (enableAnyIp), 4096 hosts
 *                                             lo: single hosts from 198.19.16.0/20 (addHost)
 *
 * Slot k uses 198.18.0.(4k+1)/30, routes 198.19.(32k).0/19, AnyIP in its lower half, single hosts in its
 * upper half. The far namespace does not forward, so a packet to an address it does not own is dropped
 * without any ICMP answer: removing a host is a pulled cable, not a refusal.
 *
 * Benchmarks need more than one slot's 4096 AnyIP hosts: with {@link LabOptions.largeRange} a lab also takes
 * {@link LARGE_LAB_RANGE} (one lab at a time on a machine), whose lower half answers (AnyIP) and whose upper
 * half is routed into the namespace but owned by nobody there, so it stays silent.
 */

const run = promisify(execFile);

/** How many labs can exist at once on one machine. */
export const LAB_SLOTS = 8;
/** The whole benchmarking range: made unreachable in the root namespace as a safety net (see createLab). */
export const LAB_SAFETY_RANGE = '198.18.0.0/15';

/**
 * The range a lab created with {@link LabOptions.largeRange} routes in addition to its slot's: 32,768
 * addresses outside every slot (slots use 198.18.0.0/27 for their links and 198.19.0.0/16 for hosts).
 */
export const LARGE_LAB_RANGE = '198.18.128.0/17';
const LARGE_ANSWERING_RANGE = '198.18.128.0/18';
const LARGE_SILENT_RANGE = '198.18.192.0/18';

const NAMESPACE_PREFIX = 'pwlab-';
const NAMESPACE_NAME = /^pwlab-(\d+)-/;
// The root end's name is the slot lock: creating a link is atomic, so two runs can never take one slot.
const SLOT_LINK = /^pwslot(\d+)$/;
// The lowest possible priority: any real route, including every lab's own, wins over it.
const SAFETY_ROUTE = ['unreachable', LAB_SAFETY_RANGE, 'metric', '4294967295'];

let counter = 0;
const liveLabs = new Set<NetnsLab>();
let unavailable: Promise<string | null> | undefined;
let exitHandlerInstalled = false;

/** Options for {@link createLab}. */
export interface LabOptions {
  /** Answer for every address in the lab's AnyIP range from the start. */
  readonly anyIp?: boolean;
  /**
   * Also take {@link LARGE_LAB_RANGE} (benchmarks with more than 4096 hosts): 16,384 addresses that answer
   * ({@link NetnsLab.largeAnsweringHost}) and 16,384 that are silent ({@link NetnsLab.largeSilentHost}).
   * Only one lab on the machine can hold it; creating a second fails with "in use".
   */
  readonly largeRange?: boolean;
}

/** One lab namespace and its veth pair; see the module comment for the layout. */
export class NetnsLab {
  /** The monitor's end of the veth, in the root namespace. */
  readonly monitorAddress: string;
  /** The far end of the veth, inside the lab namespace. */
  readonly farAddress: string;
  /** Everything routed from the root namespace into this lab. */
  readonly routedRange: string;
  /** Where {@link enableAnyIp} answers for every address at once (benchmarks); see {@link anyIpHost}. */
  readonly anyIpRange: string;
  /** Where single hosts go ({@link addHost}), apart from the AnyIP range so removing one works. */
  readonly hostRange: string;
  /** The root-namespace end of the veth, `pwslot<k>`. */
  readonly rootLink: string;
  private readonly anyIpRanges = new Set<string>();
  private destroyed = false;
  /** Whether this lab holds {@link LARGE_LAB_RANGE}; set by createLab. */
  hasLargeRange = false;

  constructor(
    /** The lab namespace, `pwlab-<pid>-<n>`. */
    readonly namespace: string,
    /** Which address slot this lab holds, 0 to {@link LAB_SLOTS} − 1. */
    readonly slot: number,
  ) {
    this.rootLink = `pwslot${slot}`;
    const layout = slotLayout(slot);
    this.monitorAddress = layout.monitorAddress;
    this.farAddress = layout.farAddress;
    this.routedRange = layout.routedRange;
    this.anyIpRange = layout.anyIpRange;
    this.hostRange = layout.hostRange;
  }

  /** The `n`th single-host address (n from 0), for {@link addHost}. */
  host(n: number): string {
    return offset(this.hostRange, n);
  }

  /** The `n`th address of the AnyIP range (n from 0): answers once {@link enableAnyIp} ran. */
  anyIpHost(n: number): string {
    return offset(this.anyIpRange, n);
  }

  /** The `n`th answering address of {@link LARGE_LAB_RANGE} (n from 0 to 16383); needs `largeRange`. */
  largeAnsweringHost(n: number): string {
    this.checkLargeRange();
    return offset(LARGE_ANSWERING_RANGE, n);
  }

  /** The `n`th silent address of {@link LARGE_LAB_RANGE} (n from 0 to 16383); needs `largeRange`. */
  largeSilentHost(n: number): string {
    this.checkLargeRange();
    return offset(LARGE_SILENT_RANGE, n);
  }

  /** Makes `ip` (a single address in {@link hostRange}) answer pings. */
  async addHost(ip: string): Promise<void> {
    this.checkHost(ip);
    await ipCommand('-n', this.namespace, 'address', 'add', `${ip}/32`, 'dev', 'lo');
  }

  /** Makes `ip` silent: its requests are dropped without any answer, like a pulled cable. */
  async removeHost(ip: string): Promise<void> {
    this.checkHost(ip);
    await ipCommand('-n', this.namespace, 'address', 'del', `${ip}/32`, 'dev', 'lo');
  }

  /** Answers for every address in `range` at once with an AnyIP local route (thousands of hosts). */
  async enableAnyIp(range: string = this.anyIpRange): Promise<void> {
    checkWithin(range, this.routedRange);
    await ipCommand('-n', this.namespace, 'route', 'add', 'local', range, 'dev', 'lo');
    this.anyIpRanges.add(range);
  }

  /** Silences a range enabled with {@link enableAnyIp}. */
  async disableAnyIp(range: string = this.anyIpRange): Promise<void> {
    await ipCommand('-n', this.namespace, 'route', 'del', 'local', range, 'dev', 'lo');
    this.anyIpRanges.delete(range);
  }

  /**
   * Takes the whole link down, silently. The far end goes down rather than the root end: a root end that is
   * administratively down loses its routes, and pings to the lab would then fall through to other routes.
   */
  async linkDown(): Promise<void> {
    await ipCommand('-n', this.namespace, 'link', 'set', 'eth0', 'down');
  }

  /** Brings the link back after {@link linkDown}. */
  async linkUp(): Promise<void> {
    await ipCommand('-n', this.namespace, 'link', 'set', 'eth0', 'up');
  }

  /** Removes the veth pair (freeing the slot) and the namespace. Safe to call twice. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    liveLabs.delete(this);
    // Deleting the namespace alone frees the veth asynchronously; deleting the link first frees the slot,
    // its addresses and routes at once, so the next lab can take them straight away.
    const problems: string[] = [];
    for (const args of this.teardownCommands()) {
      await ipCommand(...args).catch((error: unknown) => problems.push(String(error)));
    }
    if (problems.length > 0 && (await listNamespaces()).includes(this.namespace)) {
      throw new Error(`could not remove lab ${this.namespace}: ${problems.join('; ')}`);
    }
  }

  /** {@link destroy} for the process 'exit' handler, where nothing asynchronous runs any more. */
  destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    liveLabs.delete(this);
    for (const args of this.teardownCommands()) {
      try {
        execFileSync('ip', args, { stdio: 'ignore' });
      } catch {
        // Already gone, or nothing more can be done while exiting; cleanupStaleLabs catches the rest.
      }
    }
  }

  private teardownCommands(): string[][] {
    return [
      ['link', 'del', this.rootLink],
      ['netns', 'del', this.namespace],
    ];
  }

  private checkLargeRange(): void {
    if (!this.hasLargeRange) throw new Error(`lab ${this.namespace} was created without largeRange`);
  }

  private checkHost(ip: string): void {
    if (!contains(this.hostRange, ip)) {
      throw new Error(`${ip} is not a host of lab slot ${this.slot} (${this.hostRange}): use lab.host(n)`);
    }
    for (const range of this.anyIpRanges) {
      if (contains(range, ip))
        throw new Error(`${ip} is inside the AnyIP range ${range}: it cannot be removed`);
    }
  }
}

/** The addresses of slot `slot`; see the module comment. */
function slotLayout(slot: number) {
  const routed = ipv4ToNumber('198.19.0.0') + 8192 * slot;
  return {
    monitorAddress: numberToIpv4(ipv4ToNumber('198.18.0.1') + 4 * slot),
    farAddress: numberToIpv4(ipv4ToNumber('198.18.0.2') + 4 * slot),
    routedRange: `${numberToIpv4(routed)}/19`,
    anyIpRange: `${numberToIpv4(routed)}/20`,
    hostRange: `${numberToIpv4(routed + 4096)}/20`,
  };
}

/**
 * Why the lab cannot run here (not root, `ip netns` or veth unusable), or null when it can. Checked once
 * per process by really creating and deleting a namespace with a veth pair.
 */
export function labUnavailableReason(): Promise<string | null> {
  unavailable ??= probeLab();
  return unavailable;
}

/**
 * For a `before` hook of a suite that needs the lab: skips the suite with a printed reason when the lab
 * cannot run here, or fails when PINGWARDEN_REQUIRE_LAB=1 (CI) says it must.
 */
export async function requireLab(ctx: Mocha.Context): Promise<void> {
  const reason = await labUnavailableReason();
  if (reason === null) return;
  if (process.env.PINGWARDEN_REQUIRE_LAB === '1') {
    throw new Error(`network lab required (PINGWARDEN_REQUIRE_LAB=1) but unavailable: ${reason}`);
  }
  console.log(`      skipped: network lab unavailable: ${reason}`);
  ctx.skip();
}

/**
 * Creates a lab in the first free slot (see the module comment); leftovers of crashed runs are removed
 * first. Always pair with {@link NetnsLab.destroy} in an `after` hook; a process 'exit' handler removes
 * forgotten labs too.
 */
export async function createLab(options: LabOptions = {}): Promise<NetnsLab> {
  await cleanupStaleLabs();
  if (!exitHandlerInstalled) {
    // 'exit' handlers run only synchronous code, hence destroySync; mocha's --exit still fires it.
    process.on('exit', () => {
      for (const lab of liveLabs) lab.destroySync();
    });
    exitHandlerInstalled = true;
  }
  counter += 1;
  const namespace = `${NAMESPACE_PREFIX}${process.pid}-${counter}`;
  // A pinger still running when a lab goes away (a timed-out test) must not follow the default route out
  // of this machine: this lowest-priority route makes the benchmarking range unreachable instead. It is
  // shared by all labs and deliberately left in place afterwards, for exactly that case.
  await ipCommand('route', 'replace', ...SAFETY_ROUTE);
  await ipCommand('netns', 'add', namespace);
  let lab: NetnsLab | undefined;
  try {
    lab = await claimSlot(namespace);
    liveLabs.add(lab);
    const ns = lab.namespace;
    await ipCommand('address', 'add', `${lab.monitorAddress}/30`, 'dev', lab.rootLink);
    await ipCommand('link', 'set', lab.rootLink, 'up');
    await ipCommand('-n', ns, 'address', 'add', `${lab.farAddress}/30`, 'dev', 'eth0');
    await ipCommand('-n', ns, 'link', 'set', 'eth0', 'up');
    await ipCommand('-n', ns, 'link', 'set', 'lo', 'up');
    await ipCommand('route', 'add', lab.routedRange, 'via', lab.farAddress, 'dev', lab.rootLink);
    if (options.anyIp) await lab.enableAnyIp();
    if (options.largeRange) await takeLargeRange(lab);
    return lab;
  } catch (error) {
    if (lab) await lab.destroy().catch(() => undefined);
    else await ipCommand('netns', 'del', namespace).catch(() => undefined);
    throw error;
  }
}

/**
 * Removes `pwlab-*` namespaces and `pwslot*` links left by runs whose process is gone (crashed, or killed
 * before their 'exit' handler ran). Labs of live processes are left alone. Returns what was removed.
 */
export async function cleanupStaleLabs(): Promise<string[]> {
  const removed: string[] = [];
  for (const { name, ownerPid } of await listSlotLinks()) {
    // No owner yet means a lab is being created right now.
    if (ownerPid !== null && isStale(ownerPid, name)) {
      await ipCommand('link', 'del', name).catch(() => undefined);
      removed.push(name);
    }
  }
  for (const name of await listNamespaces()) {
    if (!name.startsWith(NAMESPACE_PREFIX)) continue;
    const pid = NAMESPACE_NAME.exec(name)?.[1];
    // A name without a pid was not made by this helper: nobody can still own it.
    if (pid === undefined || isStale(Number(pid), name)) {
      // Another run may be cleaning up at the same moment: gone is gone.
      await ipCommand('netns', 'del', name).catch(() => undefined);
      removed.push(name);
    }
  }
  return removed;
}

/**
 * Routes {@link LARGE_LAB_RANGE} into `lab` and makes its lower half answer. The route goes through the
 * lab's own link, so deleting the link (destroy, or cleanup of a crashed run) frees the range too.
 */
async function takeLargeRange(lab: NetnsLab): Promise<void> {
  try {
    await ipCommand('route', 'add', LARGE_LAB_RANGE, 'via', lab.farAddress, 'dev', lab.rootLink);
  } catch (error) {
    if (String(error).includes('File exists')) {
      throw new Error(`the large lab range ${LARGE_LAB_RANGE} is in use by another run`, { cause: error });
    }
    throw error;
  }
  await ipCommand('-n', lab.namespace, 'route', 'add', 'local', LARGE_ANSWERING_RANGE, 'dev', 'lo');
  lab.hasLargeRange = true;
}

/** Takes the first free slot by creating its veth pair, far end `eth0` straight inside `namespace`. */
async function claimSlot(namespace: string): Promise<NetnsLab> {
  for (let slot = 0; slot < LAB_SLOTS; slot++) {
    const lab = new NetnsLab(namespace, slot);
    try {
      await ipCommand(
        'link',
        'add',
        lab.rootLink,
        'type',
        'veth',
        'peer',
        'name',
        'eth0',
        'netns',
        namespace,
      );
    } catch (error) {
      if (String(error).includes('File exists')) continue;
      throw error;
    }
    // The owner's pid is what lets cleanupStaleLabs tell a crashed run's slot from a live one.
    await ipCommand('link', 'set', lab.rootLink, 'alias', `pid=${process.pid}`);
    return lab;
  }
  throw new Error(`all ${LAB_SLOTS} network lab slots are in use by other runs`);
}

/** Whether `name` (a namespace or slot link) belongs to a process that is gone, or to no live lab of ours. */
function isStale(pid: number, name: string): boolean {
  if (pid === process.pid)
    return ![...liveLabs].some((lab) => lab.namespace === name || lab.rootLink === name);
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else: not stale.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function probeLab(): Promise<string | null> {
  const uid = process.getuid?.();
  if (uid !== 0) return `needs root, running as uid ${uid ?? 'unknown'}`;
  const ns = `${NAMESPACE_PREFIX}${process.pid}-probe`;
  try {
    await ipCommand('netns', 'add', ns);
    await ipCommand('-n', ns, 'link', 'add', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1');
    return null;
  } catch (error) {
    return errorMessage(error);
  } finally {
    await ipCommand('netns', 'del', ns).catch(() => undefined);
  }
}

async function listNamespaces(): Promise<string[]> {
  const { stdout } = await ipCommand('netns', 'list');
  // Lines look like "pwlab-12-1 (id: 3)" or just "pwlab-12-1".
  return stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name !== '');
}

async function listSlotLinks(): Promise<{ name: string; ownerPid: number | null }[]> {
  const { stdout } = await ipCommand('-o', 'link', 'show');
  // "12: pwslot0@if2: <BROADCAST,...> ... \    alias pid=4242"
  const links: { name: string; ownerPid: number | null }[] = [];
  for (const line of stdout.split('\n')) {
    const name = /^\d+: ([^:@]+)/.exec(line)?.[1];
    if (name === undefined || !SLOT_LINK.test(name)) continue;
    const pid = /alias pid=(\d+)/.exec(line)?.[1];
    links.push({ name, ownerPid: pid === undefined ? null : Number(pid) });
  }
  return links;
}

async function ipCommand(...args: string[]): Promise<{ stdout: string }> {
  try {
    return await run('ip', args);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`ip ${args.join(' ')}: ${stderr || String(error)}`, { cause: error });
  }
}

function ipv4ToNumber(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return parts.reduce((sum, part) => sum * 256 + part, 0);
}

function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function parseCidr(cidr: string): { base: number; size: number } {
  const [ip = '', bits = ''] = cidr.split('/');
  const prefix = Number(bits);
  if (bits === '' || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
    throw new Error(`not a CIDR range: ${cidr}`);
  }
  const size = 2 ** (32 - prefix);
  return { base: Math.floor(ipv4ToNumber(ip) / size) * size, size };
}

function contains(range: string, ip: string): boolean {
  const { base, size } = parseCidr(range);
  const value = ipv4ToNumber(ip);
  return value >= base && value < base + size;
}

// Every address the lab touches must stay inside its own range: anything else could leave this machine.
function checkWithin(inner: string, outer: string): void {
  const { base, size } = parseCidr(inner);
  const { base: outerBase, size: outerSize } = parseCidr(outer);
  if (base < outerBase || base + size > outerBase + outerSize) {
    throw new Error(`${inner} is outside the lab range ${outer}`);
  }
}

function offset(range: string, n: number): string {
  const { base, size } = parseCidr(range);
  if (!Number.isInteger(n) || n < 0 || n >= size) throw new Error(`host ${n} is outside ${range}`);
  return numberToIpv4(base + n);
}
