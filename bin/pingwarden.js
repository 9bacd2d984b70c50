#!/usr/bin/env -S node --no-memory-reducer
// Entry point for `npx pingwarden` and `npm start`: runs the compiled CLI (built by `npm run build`,
// which `npm ci` runs through the `prepare` script). The shebang's V8 flags are DAEMON_NODE_FLAGS
// (lib/cli/daemon-node-flags.ts), which also `npm start` and the systemd unit pass.
import { survivePipeClose } from '../dist/cli/closed-console.js';
import { main } from '../dist/cli/main.js';

survivePipeClose();

process.exitCode = await main(process.argv);
