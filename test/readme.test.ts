import { readFile } from 'node:fs/promises';

import { expect } from 'chai';

import { SETTING_SPECS } from '../lib/config/settings-table.js';

describe('README', () => {
  it('documents every setting with its default and when an edit applies', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const spec of SETTING_SPECS) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${spec.key}\` |`));
      expect(row, `a README settings row for ${spec.key}`).to.be.a('string');
      const cells = row!.split('|').map((cell) => cell.trim());
      const expected =
        spec.default === ''
          ? '(empty)'
          : typeof spec.default === 'boolean'
            ? spec.default
              ? 'yes'
              : 'no'
            : String(spec.default);
      expect(cells[2], `README default of ${spec.key}`).to.equal(expected);
      expect(cells[3], `README "applies" of ${spec.key}`).to.equal(spec.reload);
    }
  });
});
