import { readFile } from 'node:fs/promises';

import { expect } from 'chai';

import { SETTING_SPECS } from '../lib/config/settings-table.js';

describe('README', () => {
  it('documents every setting with its default', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const spec of SETTING_SPECS) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${spec.key}\` |`));
      expect(row, `a README settings row for ${spec.key}`).to.be.a('string');
      const shownDefault = row!.split('|')[2]!.trim();
      const expected =
        spec.default === ''
          ? '(empty)'
          : typeof spec.default === 'boolean'
            ? spec.default
              ? 'yes'
              : 'no'
            : String(spec.default);
      expect(shownDefault, `README default of ${spec.key}`).to.equal(expected);
    }
  });
});
