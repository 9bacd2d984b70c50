import { isIP } from 'node:net';

import { ConfigError } from '../shared/errors.js';
import { readCsvRows } from './csv-rows.js';

/** One row of orgs.csv: every address inside `prefix` belongs to `org`. */
export interface OrgPrefix {
  /** Address part of the prefix, e.g. `203.0.113.0`. */
  readonly address: string;
  readonly bits: number;
  readonly family: 4 | 6;
  /** As written, for messages: `203.0.113.0/24`. */
  readonly prefix: string;
  /** `AS64500 Example ISP`: an `AS<number>` first, so `AS64500` patterns can match it. */
  readonly org: string;
  readonly line: number;
}

/** The prefixes of orgs.csv and every problem found in it. */
export interface ParsedOrgs {
  readonly prefixes: readonly OrgPrefix[];
  readonly errors: readonly ConfigError[];
}

/**
 * Parses orgs.csv: rows of `prefix,org`, such as `203.0.113.0/24,AS64500 Example ISP`. A first row whose
 * first cell is `prefix` is a header. The offline answer to "who owns this hop", for sites without internet
 * access to IPinfo or without a token.
 *
 * @param file the path shown in messages, e.g. `config/orgs.csv`
 */
export function parseOrgs(text: string, file: string): ParsedOrgs {
  const { rows, errors: csvErrors } = readCsvRows(text, file);
  const errors: ConfigError[] = [...csvErrors];
  const prefixes: OrgPrefix[] = [];
  const seen = new Map<string, number>();
  rows.forEach(({ line, cells }, index) => {
    const problem = (message: string) => void errors.push(new ConfigError(file, line, message));
    if (index === 0 && /^prefix$/i.test(cells[0] ?? '')) return;
    if (cells.length !== 2) {
      problem(`expected prefix,org (2 values), got ${cells.length}`);
      return;
    }
    const [prefix = '', org = ''] = cells.map((cell) => cell.trim());
    const parsed = parsePrefix(prefix);
    if (typeof parsed === 'string') {
      problem(`invalid prefix ${JSON.stringify(prefix)}: ${parsed}`);
      return;
    }
    if (org === '') {
      problem(`missing org for ${prefix} (e.g. "AS64500 Example ISP")`);
      return;
    }
    if (/[\r\n]/.test(org)) {
      problem('line breaks are not allowed in the org');
      return;
    }
    const key = `${parsed.address}/${parsed.bits}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problem(`duplicate prefix ${prefix} (first listed on line ${first})`);
      return;
    }
    seen.set(key, line);
    prefixes.push({ ...parsed, prefix, org, line });
  });
  errors.sort((a, b) => a.line - b.line);
  return { prefixes, errors };
}

function parsePrefix(text: string): { address: string; bits: number; family: 4 | 6 } | string {
  const slash = text.indexOf('/');
  if (slash < 0) return 'write it as address/length, e.g. 203.0.113.0/24';
  const address = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  const family = isIPFamily(address);
  if (family === 0) return 'is not an IP address followed by /length';
  const max = family === 4 ? 32 : 128;
  if (!/^[0-9]{1,3}$/.test(bitsText) || Number(bitsText) > max) return `the length must be 0 to ${max}`;
  return { address, bits: Number(bitsText), family };
}

function isIPFamily(text: string): 0 | 4 | 6 {
  const family = isIP(text);
  return family === 4 || family === 6 ? family : 0;
}
