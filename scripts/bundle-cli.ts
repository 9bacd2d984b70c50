import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

/**
 * Run by `npm run build` after tsc: bundles the compiled CLI (dist/cli/entry.js) and the packages it
 * imports into dist/bundle/, which bin/pingwarden.js runs. Node resolves, reads, compiles and links each
 * ES module on its own: at some 370 modules that was 0.2 s of CPU and 11 MB of RSS for every run, a fifth
 * of what a cron `pingwarden once` spends of its own at 10,000 hosts (README, Performance). One file does
 * the same in a fraction of it.
 *
 * The bundle sits two folders below the repository, as the compiled modules do, so `../../package.json`
 * still names package.json. Modules loaded at run time through `createRequire` (ping, handlebars, the Kasa
 * library, the status page's assets) stay in node_modules; the banner gives the bundled CommonJS packages
 * the `require` they call for Node's built-in modules. Dynamic imports become chunks loaded on first use.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(repoRoot, 'dist/bundle');

await rm(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { pingwarden: path.join(repoRoot, 'dist/cli/entry.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  sourcemap: 'linked',
  banner: {
    js: "import { createRequire as bundleCreateRequire } from 'node:module'; const require = bundleCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
if (result.errors.length > 0 || result.warnings.length > 0) process.exitCode = 1;
