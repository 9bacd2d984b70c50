import { expect } from 'chai';

import { parseHosts } from '../../lib/config/parse-hosts.js';
import type { CheckKind, TargetOf } from '../../lib/config/target.js';
import type { ProbeOptions } from '../../lib/probe/pinger.js';

/** One attempt, one second: a failing check in these tests is quick and its reason is the first one's. */
export const ONE_TRY: ProbeOptions = { attempts: 1, timeoutSeconds: 1 };

/** The target of one hosts.csv row, parsed as the loader would, checked to be of kind `kind`. */
export function serviceTarget<K extends CheckKind>(kind: K, row: string, pem?: string): TargetOf<K> {
  const { targets, errors } = parseHosts(row, 'config/hosts.csv');
  expect(errors.map((e) => e.message)).to.deep.equal([]);
  const target = targets[0]!;
  expect(target.check.kind).to.equal(kind);
  if (pem === undefined) return target as TargetOf<K>;
  const check = target.check as TargetOf<'tls'>['check'];
  return {
    ...target,
    check: { ...check, tls: { ...check.tls, ca: { file: 'ca.pem', pem } } },
  } as TargetOf<K>;
}
