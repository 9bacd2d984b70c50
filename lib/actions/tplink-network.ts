import tplinkApi, { type AnyDevice, type Client as ClientType } from 'tplink-smarthome-api';

import type { Clock } from '../clock.js';
import type { Log } from '../log.js';
import type { DiscoveryOptions, KasaNetwork, PlugInfo } from './plug.js';

// tplink-smarthome-api is CommonJS and Node's ESM loader does not see its named exports.
const { Client } = tplinkApi;

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
  private readonly client: ClientType;

  constructor(private readonly options: TplinkKasaNetworkOptions) {
    this.client = new Client({
      logLevel: 'silent',
      defaultSendOptions: { timeout: options.timeoutMs, transport: 'tcp' },
    });
  }

  async describe(address: string): Promise<PlugInfo> {
    const device = await this.client.getDevice({ host: address });
    try {
      return infoOf(device, address);
    } finally {
      device.closeConnection();
    }
  }

  async setPower(address: string, on: boolean): Promise<void> {
    const device = await this.client.getDevice({ host: address });
    try {
      if (!('setPowerState' in device)) throw new Error(`device at ${address} is not a plug`);
      await device.setPowerState(on);
    } finally {
      device.closeConnection();
    }
  }

  async discover(options: DiscoveryOptions): Promise<PlugInfo[]> {
    // A client of its own: discovery keeps a device list and a UDP socket that must not outlive the call.
    const client = new Client({
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
