import { BlockList } from 'node:net';

import type { OrgPrefix } from '../../config/parse-orgs.js';
import type { OrgAnswer, OrgLookup } from './org-lookup.js';

/**
 * Answers from the prefixes of orgs.csv, without any network access. When several prefixes contain an
 * address, the longest (most specific) one wins, as in routing.
 */
export class OfflineOrgLookup implements OrgLookup {
  readonly name = 'orgs.csv';
  private readonly entries: readonly { readonly prefix: OrgPrefix; readonly list: BlockList }[];

  constructor(prefixes: readonly OrgPrefix[]) {
    this.entries = [...prefixes]
      .sort((a, b) => b.bits - a.bits)
      .map((prefix) => {
        const list = new BlockList();
        list.addSubnet(prefix.address, prefix.bits, prefix.family === 4 ? 'ipv4' : 'ipv6');
        return { prefix, list };
      });
  }

  lookup(address: string): Promise<OrgAnswer> {
    for (const { prefix, list } of this.entries) {
      if (list.check(address, prefix.family === 4 ? 'ipv4' : 'ipv6')) {
        return Promise.resolve({ status: 'found', org: prefix.org });
      }
    }
    return Promise.resolve({ status: 'unknown' });
  }
}
