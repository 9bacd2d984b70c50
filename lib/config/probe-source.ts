import { isIP } from 'node:net';

/** Where deep probes leave from: an interface (`eth1`) or a local address (`192.0.2.10`). */
export type ProbeSource =
  | { readonly kind: 'interface'; readonly name: string }
  | { readonly kind: 'address'; readonly address: string };

// Linux interface names: at most 15 bytes (IFNAMSIZ − 1), no "/" or whitespace; we also refuse a leading
// "-" and anything outside a conservative set, because the name is handed to ping/traceroute as an argument.
const INTERFACE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.@:-]{0,14}$/;

/**
 * Reads a probe source: an IPv4/IPv6 address, or else an interface name.
 * @returns the source, or a problem such as `must not start with "-"`
 */
export function parseProbeSource(text: string): ProbeSource | string {
  if (text === '') return 'is empty';
  if (text.startsWith('-')) return 'must not start with "-"';
  if (isIP(text) !== 0) return { kind: 'address', address: text };
  if (!INTERFACE_NAME.test(text)) {
    return 'is neither an IP address nor an interface name (at most 15 letters, digits, "_", ".", "-", "@", ":")';
  }
  return { kind: 'interface', name: text };
}

/** The source as the user wrote it. */
export function describeSource(source: ProbeSource): string {
  return source.kind === 'interface' ? source.name : source.address;
}
