import { createHmac } from 'node:crypto';

import { expect } from 'chai';

import {
  formatSignedHeartbeat,
  parseLegacyHeartbeat,
  parseSignedHeartbeat,
} from '../../../lib/probe/heartbeat/heartbeat-protocol.js';

const KEY = '0123456789abcdef0123456789abcdef';

describe('heartbeat protocol', () => {
  it('formats a signed message whose MAC is HMAC-SHA256 over the text before it', () => {
    const text = formatSignedHeartbeat(
      { name: 'cabin', timestampMs: 1795871109000, seq: 42, type: 'BOOT', uptimeSeconds: 185.9 },
      KEY,
    );
    const signed = 'PW1 cabin 1795871109000 42 BOOT 185';
    const mac = createHmac('sha256', KEY).update(signed).digest('hex');
    expect(text).to.equal(`${signed} ${mac}`);
    expect(parseSignedHeartbeat(text)).to.deep.equal({
      message: { name: 'cabin', timestampMs: 1795871109000, seq: 42, type: 'BOOT', uptimeSeconds: 185 },
      signedText: signed,
      mac: Buffer.from(mac, 'hex'),
    });
  });

  const mac = 'a'.repeat(64);
  const notSigned: [name: string, text: string][] = [
    ['empty', ''],
    ['legacy PING', 'PING'],
    ['other version', `PW2 cabin 1 2 PING 3 ${mac}`],
    ['lower-case type', `PW1 cabin 1 2 ping 3 ${mac}`],
    ['upper-case MAC', `PW1 cabin 1 2 PING 3 ${'A'.repeat(64)}`],
    ['short MAC', `PW1 cabin 1 2 PING 3 ${'a'.repeat(63)}`],
    ['missing uptime', `PW1 cabin 1 2 PING ${mac}`],
    ['two spaces', `PW1  cabin 1 2 PING 3 ${mac}`],
    ['trailing newline', `PW1 cabin 1 2 PING 3 ${mac}\n`],
    ['negative seq', `PW1 cabin 1 -2 PING 3 ${mac}`],
    ['16-digit timestamp', `PW1 cabin 1234567890123456 2 PING 3 ${mac}`],
    ['name starting with -', `PW1 -cabin 1 2 PING 3 ${mac}`],
    ['non-ASCII name', `PW1 cabïn 1 2 PING 3 ${mac}`],
  ];
  for (const [name, text] of notSigned) {
    it(`does not take ${name} for a signed message`, () => expect(parseSignedHeartbeat(text)).to.equal(null));
  }

  const legacy: [text: string, expected: ReturnType<typeof parseLegacyHeartbeat>][] = [
    ['PING', { type: 'PING', uptimeSeconds: null }],
    ['PING\n', { type: 'PING', uptimeSeconds: null }],
    ['BOOT', { type: 'BOOT', uptimeSeconds: null }],
    ['BOOT185.37', { type: 'BOOT', uptimeSeconds: 185 }],
    ['BOOT 3600', { type: 'BOOT', uptimeSeconds: 3600 }],
    ['PINGPONG', null],
    ['BOOT-5', null],
    ['ping', null],
    [' PING', null],
  ];
  for (const [text, expected] of legacy) {
    it(`reads legacy ${JSON.stringify(text)}`, () =>
      expect(parseLegacyHeartbeat(text)).to.deep.equal(expected));
  }
});
