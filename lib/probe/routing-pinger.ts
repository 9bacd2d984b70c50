import { isSensorHost } from '../config/sensor-entry.js';
import type { Pinger, ProbeOptions, ProbeResult } from './pinger.js';

/**
 * Sends each host to the pinger for its kind: `sensor:` hosts to the heartbeat prober, everything else to
 * the ping pinger. Without a heartbeat prober (`pingwarden once`, which does not listen) sensors get no
 * result at all, so their state is left as it was.
 */
export class RoutingPinger implements Pinger {
  constructor(
    private readonly ping: Pinger,
    private readonly sensors: Pinger | null,
  ) {}

  async probe(hosts: readonly string[], options: ProbeOptions, signal?: AbortSignal): Promise<ProbeResult[]> {
    const pinged = hosts.filter((host) => !isSensorHost(host));
    const sensed = hosts.filter(isSensorHost);
    const [fromPing, fromSensors] = await Promise.all([
      pinged.length > 0 ? this.ping.probe(pinged, options, signal) : [],
      this.sensors && sensed.length > 0 ? this.sensors.probe(sensed, options, signal) : [],
    ]);
    return [...fromPing, ...fromSensors];
  }
}
