#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --no-memory-reducer --max-semi-space-size=1 --heap-growing-percent=10
// Entry point for `npx pingwarden` and `npm start`: runs the compiled CLI, bundled into one module by
// `npm run build` (which `npm ci` runs through the `prepare` script; see scripts/bundle-cli.ts). The
// shebang's V8 flags and environment are DAEMON_NODE_FLAGS and DAEMON_ENVIRONMENT
// (lib/cli/daemon-node-flags.ts), which also `npm start` and the systemd unit pass.
import { main, survivePipeClose } from '../dist/bundle/pingwarden.js';

survivePipeClose();

process.exitCode = await main(process.argv);
