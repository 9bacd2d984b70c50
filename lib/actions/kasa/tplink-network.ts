import dgram from 'node:dgram';
import { createRequire } from 'node:module';

import type tplinkApi from 'tplink-smarthome-api';
import type { AnyDevice, Client as ClientType } from 'tplink-smarthome-api';

import type { Clock } from '../../shared/clock.js';
import { errorMessage, FaultError } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import type { DiscoveryOptions, KasaNetwork, PlugInfo } from './plug.js';

// tplink-smarthome-api is CommonJS and Node's ESM loader does not see its named exports.
const requireCjs = createRequire(import.meta.url);
let tplinkPackage: typeof tplinkApi | null = null;

/**
 * tplink-smarthome-api, loaded when a plug is first talked to: most runs (every cron run without a `cycle:`
 * host that is down) never do, and loading it cost 0.04 s of CPU and a few MB each time.
 */
function tplink(): typeof tplinkApi {
  return (tplinkPackage ??= requireCjs('tplink-smarthome-api') as typeof tplinkApi);
}

/** The Kasa discovery and command port. */
const KASA_PORT = 9999;

/** Discovery could not run at all (the broadcast could not be sent): not the same as "no plugs found". */
export class KasaDiscoveryError extends FaultError {
  override name = 'KasaDiscoveryError';
}

/** Options of {@link TplinkKasaNetwork}. */
export interface TplinkKasaNetworkOptions {
  /** Per-command timeout. */
  readonly timeoutMs: number;
  readonly log: Log;
  /** Times the discovery window. */
  readonly clock: Clock;
}

/**
 * {@link KasaNetwork} through tplink-smarthome-api (TCP port 9999 for commands, UDP for discovery).
 * Each call opens and closes its own connection: plug commands are rare, and a kept socket would go
 * stale while a modem reboots.
 */
export class TplinkKasaNetwork implements KasaNetwork {
  private clientInstance: ClientType | null = null;

  constructor(private readonly options: TplinkKasaNetworkOptions) {}

  /** The client for commands, made at the first one (see {@link tplink}). */
  private get client(): ClientType {
    this.clientInstance ??= new (tplink().Client)({
      logLevel: 'silent',
      defaultSendOptions: { timeout: this.options.timeoutMs, transport: 'tcp' },
    });
    return this.clientInstance;
  }

  async describe(address: string): Promise<PlugInfo> {
    try {
      const device = await this.client.getDevice({ host: address });
      device.closeConnection();
      return infoOf(device, address);
    } catch (error) {
      throw this.plainError(error, address);
    }
  }

  async setPower(address: string, on: boolean): Promise<void> {
    try {
      const device = await this.client.getDevice({ host: address });
      try {
        if (!('setPowerState' in device)) throw new Error(`the device at ${address} is not a plug`);
        await device.setPowerState(on);
      } finally {
        device.closeConnection();
      }
    } catch (error) {
      throw this.plainError(error, address);
    }
  }

  async discover(options: DiscoveryOptions): Promise<PlugInfo[]> {
    // The library sends without a callback, and Node drops such send errors silently: an unroutable
    // broadcast (ENETUNREACH) would end as "no plugs found" after the whole window. Ask the kernel first.
    const routeProblem = await broadcastRouteProblem(options.broadcast);
    if (routeProblem !== null) {
      const message =
        `kasa discovery could not send to ${options.broadcast}: ${routeProblem} ` +
        "(check kasa_discovery_broadcast and that this machine is on the plugs' network)";
      if (options.hosts.length === 0) throw new KasaDiscoveryError(message);
      this.options.log.warn(message);
    }
    // A client of its own: discovery keeps a device list and a UDP socket that must not outlive the call.
    const client = new (tplink().Client)({
      logLevel: 'silent',
      defaultSendOptions: { timeout: this.options.timeoutMs, transport: 'tcp' },
    });
    const found = new Map<string, PlugInfo>();
    client.on('plug-new', (plug) => {
      found.set(plug.host, infoOf(plug, plug.host));
    });
    client.on('error', (error) => {
      this.options.log.warn('kasa discovery error', { error: error.message });
    });
    client.startDiscovery({
      broadcast: options.broadcast,
      devices: options.hosts.map((host) => ({ host })),
      deviceTypes: ['plug'],
      // Ask a few times while listening: UDP answers get lost.
      discoveryInterval: Math.max(250, Math.floor(options.durationMs / 4)),
      breakoutChildren: false,
    });
    try {
      await this.options.clock.sleep(options.durationMs);
    } finally {
      client.stopDiscovery();
    }
    return [...found.values()].sort((a, b) => a.alias.localeCompare(b.alias));
  }

  /**
   * The library's errors can span lines, quote the command sent, or (for a garbled answer) carry binary
   * junk; logs and emails get one plain sentence, the original stays as `cause`.
   */
  private plainError(error: unknown, address: string): Error {
    const message = errorMessage(error);
    let plain: string;
    if (error instanceof SyntaxError) plain = `unreadable answer from ${address}`;
    else if (/^TCP Timeout/.test(message))
      plain = `no answer from ${address} within ${this.options.timeoutMs} ms`;
    else if (error instanceof tplink().ResponseError) plain = `the plug at ${address} refused the command`;
    else plain = message.split('\n')[0] ?? message;
    return new Error(plain, { cause: error });
  }
}

function infoOf(device: AnyDevice, address: string): PlugInfo {
  const sysInfo = device.sysInfo as { relay_state?: number };
  return {
    alias: device.alias,
    address,
    model: device.model,
    on: 'relayState' in device ? device.relayState : sysInfo.relay_state === 1,
  };
}

/**
 * Why a datagram to `address` cannot leave (no route: `ENETUNREACH`), or null when it can. A UDP
 * `connect()` only looks the route up; nothing is sent.
 */
function broadcastRouteProblem(address: string): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const done = (problem: string | null) => {
      socket.close();
      resolve(problem);
    };
    socket.on('error', (error) => done(errorMessage(error)));
    socket.bind(0, () => {
      socket.setBroadcast(true);
      socket.connect(KASA_PORT, address, (error?: Error) => done(error ? errorMessage(error) : null));
    });
  });
}
