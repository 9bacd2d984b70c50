import { expect } from 'chai';

import { parseRouteTable } from '../../../lib/probe/trace/routing-table.js';

// /proc/net/route of a box on 192.168.1.0/24 with a second, worse default route and a host route.
const TABLE = [
  'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
  'wlan0\t00000000\t0102A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0',
  'eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0',
  'eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0',
  'eth0\t0A0A0A0A\t0101A8C0\t0007\t0\t0\t0\tFFFFFFFF\t0\t0\t0',
  'tun0\t0000000A\t00000000\t0000\t0\t0\t0\t000000FF\t0\t0\t0',
  // `ip route add unreachable 198.18.0.0/15`: refuses traffic, not a LAN.
  '*\t000012C6\t00000000\t0201\t0\t0\t0\t0000FEFF\t0\t0\t0',
  'garbage line',
  '',
].join('\n');

describe('probe/trace/routing-table', () => {
  it('reads the default gateway of the lowest metric and the networks reached without a gateway', () => {
    const view = parseRouteTable(TABLE);
    expect(view.gateway).to.equal('192.168.1.1');
    // tun0's route is not up; the host route goes through a gateway; the unreachable one refuses traffic.
    expect(view.lanNets.map((net) => net.text)).to.deep.equal(['192.168.1.0/24']);
    expect(view.lanNets[0]!.contains('192.168.1.50')).to.equal(true);
    expect(view.lanNets[0]!.contains('192.168.2.50')).to.equal(false);
  });

  it('has no gateway when there is no default route, and survives an empty table', () => {
    expect(
      parseRouteTable(
        TABLE.split('\n')
          .filter((line) => !line.includes('\t00000000\t0'))
          .join('\n'),
      ).gateway,
    ).to.equal(null);
    expect(parseRouteTable('')).to.deep.equal({ gateway: null, lanNets: [] });
  });
});
