#!/usr/bin/env -S node --no-memory-reducer
// Entry point for `npx pingwarden` and `npm start`: runs the compiled CLI, bundled into one module by
// `npm run build` (which `npm ci` runs through the `prepare` script; see scripts/bundle-cli.ts). The
// shebang's V8 flags are DAEMON_NODE_FLAGS (lib/cli/daemon-node-flags.ts), which also `npm start` and the
// systemd unit pass.
import { main, survivePipeClose } from '../dist/bundle/pingwarden.js';

survivePipeClose();

process.exitCode = await main(process.argv);
