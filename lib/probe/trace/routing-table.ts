import { readFile } from 'node:fs/promises';

import { parseCidr, type Cidr } from '../../config/cidr-list.js';

/** What the monitor's own IPv4 routing table says about where it sits. */
export interface NetworkView {
  /** The default route's gateway (lowest metric); null when there is none or it could not be read. */
  readonly gateway: string | null;
  /** Networks reached without a gateway (the monitor's own LANs), as CIDR ranges. */
  readonly lanNets: readonly Cidr[];
}

/** Reads the routing table; the real one reads `/proc/net/route`. */
export type NetworkViewSource = () => Promise<NetworkView>;

// route(8) flags: RTF_UP, RTF_GATEWAY, RTF_HOST, RTF_REJECT (unreachable, prohibit and blackhole routes).
const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;
const RTF_HOST = 0x4;
const RTF_REJECT = 0x200;

/**
 * Reads the text of `/proc/net/route`: a header line, then one route per line with the destination,
 * gateway and mask as 8 hex digits in the kernel's (little-endian) byte order. Lines it cannot read are
 * skipped: a routing table never stops monitoring.
 */
export function parseRouteTable(text: string): NetworkView {
  let gateway: string | null = null;
  let bestMetric = Infinity;
  const lanNets: Cidr[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8) continue;
    const [, destinationHex, gatewayHex, flagsHex, , , metricText, maskHex] = fields;
    const destination = hexAddress(destinationHex);
    const via = hexAddress(gatewayHex);
    const mask = hexAddress(maskHex);
    const flags = Number.parseInt(flagsHex ?? '', 16);
    const metric = Number(metricText);
    if (destination === null || via === null || mask === null || Number.isNaN(flags)) continue;
    if ((flags & RTF_UP) === 0) continue;
    if (destination === '0.0.0.0' && mask === '0.0.0.0') {
      if ((flags & RTF_GATEWAY) !== 0 && metric < bestMetric) {
        gateway = via;
        bestMetric = metric;
      }
      continue;
    }
    // A route through a gateway, to one host, or one that refuses traffic is no network of the monitor's own.
    if ((flags & (RTF_GATEWAY | RTF_HOST | RTF_REJECT)) !== 0) continue;
    const bits = maskBits(mask);
    if (bits === null) continue;
    const cidr = parseCidr(`${destination}/${bits}`);
    if (typeof cidr !== 'string') lanNets.push(cidr);
  }
  return { gateway, lanNets };
}

/**
 * The real {@link NetworkViewSource}: `/proc/net/route`. Unreadable (not Linux, no /proc): no gateway and
 * no LAN, so the fault layer rests on hosts.csv and the trace alone.
 */
export const readRoutingTable: NetworkViewSource = async () => {
  try {
    return parseRouteTable(await readFile('/proc/net/route', 'utf8'));
  } catch {
    return { gateway: null, lanNets: [] };
  }
};

/** `0101A8C0` → `192.168.1.1`: the kernel prints the address as a host-order (little-endian) number. */
function hexAddress(hex: string | undefined): string | null {
  if (hex === undefined || !/^[0-9A-Fa-f]{8}$/.test(hex)) return null;
  const value = Number.parseInt(hex, 16);
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24].join('.');
}

/** `255.255.255.0` → 24; null for a mask that is not a run of ones. */
function maskBits(mask: string): number | null {
  const value = mask.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
  let bits = 0;
  while (bits < 32 && (value & (2 ** (31 - bits))) !== 0) bits++;
  const expected = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return value === expected ? bits : null;
}
