import { createSocket as createUdpSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIPv4 } from 'node:net';

/** The records the server knows: name (lower case, no trailing dot) → type → answers. */
export type DnsZone = Record<string, { A?: string[]; AAAA?: string[] }>;

const TYPE_CODES = { A: 1, AAAA: 28 } as const;

/**
 * A small authoritative DNS server over UDP on 127.0.0.x for tests, answering from a zone the test can
 * change: A and AAAA records, NXDOMAIN for unknown names, NOERROR with no answers for a known name without
 * records of the type, and silence while `silent` is set (a server that stopped answering). Raw RFC 1035
 * packets: one question per query, answers with a pointer to the question's name.
 */
export class DnsTestServer {
  zone: DnsZone;
  silent = false;
  queries = 0;

  private constructor(
    private readonly socket: UdpSocket,
    zone: DnsZone,
    readonly address: string,
    readonly port: number,
  ) {
    this.zone = zone;
  }

  /** Listens on `address` and a free port. */
  static async start(zone: DnsZone, address = '127.0.0.53'): Promise<DnsTestServer> {
    const socket = createUdpSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => resolve());
    });
    const server = new DnsTestServer(socket, zone, address, socket.address().port);
    socket.on('message', (query, peer) => {
      server.queries += 1;
      if (server.silent) return;
      const answer = server.answer(query);
      if (answer !== null) socket.send(answer, peer.port, peer.address);
    });
    return server;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private answer(query: Buffer): Buffer | null {
    if (query.length < 17) return null;
    let offset = 12;
    const labels: string[] = [];
    while (offset < query.length && query[offset] !== 0) {
      const length = query[offset]!;
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += 1 + length;
    }
    const questionEnd = offset + 5;
    if (questionEnd > query.length) return null;
    const type = query.readUInt16BE(offset + 1);
    const name = labels.join('.').toLowerCase();
    const records = this.zone[name];
    const typeName = type === TYPE_CODES.A ? 'A' : type === TYPE_CODES.AAAA ? 'AAAA' : null;
    const values = records === undefined || typeName === null ? [] : (records[typeName] ?? []);
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    // QR, opcode 0, AA, RD copied; RA; rcode 3 (NXDOMAIN) for names not in the zone.
    header.writeUInt16BE(
      0x8400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | (records === undefined ? 3 : 0),
      2,
    );
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(values.length, 6);
    const answers = values.map((value) => {
      const data =
        typeName === 'A' && isIPv4(value) ? Buffer.from(value.split('.').map(Number)) : ipv6Bytes(value);
      const record = Buffer.alloc(12);
      record.writeUInt16BE(0xc00c, 0);
      record.writeUInt16BE(type, 2);
      record.writeUInt16BE(1, 4);
      record.writeUInt32BE(60, 6);
      record.writeUInt16BE(data.length, 10);
      return Buffer.concat([record, data]);
    });
    return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
  }
}

function ipv6Bytes(text: string): Buffer {
  const [head = '', tail = ''] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = text.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  const bytes = Buffer.alloc(16);
  groups.forEach((group, index) => bytes.writeUInt16BE(parseInt(group, 16), index * 2));
  return bytes;
}
