// What bin/pingwarden.js runs, in one module: scripts/bundle-cli.ts bundles this file with everything it
// imports into dist/bundle/pingwarden.js, so that a run loads one file instead of some 370 modules.
export { survivePipeClose } from './closed-console.js';
export { main } from './main.js';
