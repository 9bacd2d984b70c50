import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { checkImportLayers, formatViolation } from '../../scripts/import-layers.js';

const run = promisify(execFile);

/** Writes `files` (path under the root -> content) into a fresh temporary tree. */
async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-imports-'));
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
  return root;
}

function lines(root: string): string[] {
  return checkImportLayers(root).map(formatViolation);
}

describe('scripts/import-layers: the import layering check', () => {
  const roots: string[] = [];
  async function fixture(files: Record<string, string>): Promise<string> {
    const root = await tree(files);
    roots.push(root);
    return root;
  }
  after(async () => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

  it('passes imports along the data flow, within a folder and from shared/', async () => {
    const root = await fixture({
      'lib/shared/clock.ts': 'export const x = 1;\n',
      'lib/config/types.ts': "import { x } from '../shared/clock.js';\nexport const y = x;\n",
      'lib/monitor/loop.ts': "import type { y } from '../config/types.js';\nimport { z } from './z.js';\n",
      'lib/monitor/z.ts': 'export const z = 1;\n',
      'lib/cli/main.ts': "export * from '../monitor/loop.js';\nimport 'node:fs';\nimport chai from 'chai';\n",
    });
    expect(lines(root)).to.deep.equal([]);
  });

  it('names file:line and the rule for a backwards import, a type-only one included', async () => {
    const root = await fixture({
      'lib/monitor/state.ts': 'export type State = string;\n',
      'lib/config/types.ts':
        "// comment\n\nimport type { State } from '../monitor/state.js';\nexport type T = State;\n",
    });
    expect(lines(root)).to.deep.equal([
      'lib/config/types.ts:3: [layer] imports lib/monitor/state.ts: config (rank 1) must not import monitor (rank 3): imports follow the data flow',
    ]);
  });

  for (const [from, to, rank] of [
    ['actions', 'notify', 4],
    ['notify', 'actions', 4],
    ['report', 'server', 6],
    ['server', 'report', 6],
  ] as const) {
    it(`rejects ${from} importing its peer ${to}`, async () => {
      const root = await fixture({
        [`lib/${to}/b.ts`]: 'export const b = 1;\n',
        [`lib/${from}/a/a.ts`]: `export { b } from '../../${to}/b.js';\n`,
      });
      expect(lines(root)).to.deep.equal([
        `lib/${from}/a/a.ts:1: [layer] imports lib/${to}/b.ts: ` +
          `${from} and ${to} are peers (rank ${rank}) and must not import each other`,
      ]);
    });
  }

  it('reports an import cycle once, with each file and line on the loop', async () => {
    const root = await fixture({
      'lib/config/a.ts': "import { b } from './b.js';\nexport const a = b;\n",
      'lib/config/b.ts': "export const b = 1;\nimport { c } from './c.js';\n",
      'lib/config/c.ts': "import type { a } from './a.js';\nexport const c = 2;\n",
    });
    expect(lines(root)).to.deep.equal([
      'lib/config/c.ts:1: [cycle] import cycle: lib/config/a.ts:1 -> lib/config/b.ts:2 -> lib/config/c.ts:1 -> lib/config/a.ts',
    ]);
  });

  it('flags a file outside the ranked folders', async () => {
    const root = await fixture({ 'lib/util.ts': 'export const u = 1;\n' });
    expect(lines(root)).to.have.length(1);
    expect(lines(root)[0]).to.match(/^lib\/util\.ts:1: \[unknown-layer\] /);
  });

  it('exits 1 from the command line with a backwards import and a cycle, 0 on a clean tree', async function () {
    this.timeout(30_000);
    const bad = await fixture({
      'lib/shared/x.ts': "import { y } from './y.js';\n",
      'lib/shared/y.ts': "import { x } from './x.js';\nimport { app } from '../app/app.js';\n",
      'lib/app/app.ts': 'export const app = 1;\n',
    });
    const script = path.resolve('scripts/check-imports.ts');
    const failure = await run('npx', ['tsx', script, bad]).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).to.equal(1);
    expect(failure?.stderr).to.include(
      'lib/shared/y.ts:2: [layer] imports lib/app/app.ts: shared (rank 0) must not import app (rank 8)',
    );
    expect(failure?.stderr).to.include(
      '[cycle] import cycle: lib/shared/x.ts:1 -> lib/shared/y.ts:1 -> lib/shared/x.ts',
    );

    const clean = await fixture({ 'lib/shared/x.ts': 'export const x = 1;\n' });
    const ok = await run('npx', ['tsx', script, clean]);
    expect(ok.stderr).to.equal('');
  });
});
