import { isIP } from 'node:net';

import { ConfigError } from '../shared/errors.js';
import { hasLineBreak, readCsvRows } from './csv-rows.js';
import type { KasaPlugEntry } from './types.js';

/** The plugs of kasa.csv and every problem found in it. */
export interface ParsedKasa {
  readonly plugs: readonly KasaPlugEntry[];
  readonly errors: readonly ConfigError[];
}

const FORMAT = 'expected "name,address", e.g. "Modem,192.168.1.50"';

/**
 * Parses kasa.csv: rows of `name,address` giving plugs a fixed IPv4 address, so they need no discovery.
 * An optional first row `name,address` is a header. Names are compared case-insensitively and may appear
 * once; a name used in hosts.csv (`cycle:NAME`) cannot contain spaces, although one used only as
 * `indicator_lamp` may.
 *
 * @param file the path shown in messages, e.g. `config/kasa.csv`
 */
export function parseKasa(text: string, file: string): ParsedKasa {
  const { rows, errors: csvErrors } = readCsvRows(text, file);
  const errors: ConfigError[] = [...csvErrors];
  const plugs: KasaPlugEntry[] = [];
  const firstLineOf = new Map<string, number>();

  rows.forEach(({ line, cells }, index) => {
    const problem = (message: string): void => void errors.push(new ConfigError(file, line, message));
    if (index === 0 && cells.join(',').toLowerCase() === 'name,address') return;
    if (cells.some(hasLineBreak)) return problem('line breaks are not allowed in plug names or addresses');
    if (cells.length !== 2) {
      return problem(cells.length < 2 ? `missing address (${FORMAT})` : `too many values (${FORMAT})`);
    }
    const [name = '', address = ''] = cells;
    let usable = true;
    if (name === '') {
      problem(`missing plug name (${FORMAT})`);
      usable = false;
    } else if (name.length > 64) {
      problem('plug name is longer than 64 characters');
      usable = false;
    } else {
      const firstLine = firstLineOf.get(name.toLowerCase());
      if (firstLine !== undefined) {
        problem(`duplicate plug name ${JSON.stringify(name)} (first listed on line ${firstLine})`);
        usable = false;
      } else firstLineOf.set(name.toLowerCase(), line);
    }
    if (isIP(address) !== 4) {
      problem(`invalid plug address ${JSON.stringify(address)}: Kasa plugs need an IPv4 address`);
      usable = false;
    }
    if (usable) plugs.push({ name, address, line });
  });
  errors.sort((a, b) => a.line - b.line);
  return { plugs, errors };
}
