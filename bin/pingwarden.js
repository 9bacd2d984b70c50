#!/usr/bin/env node
// Entry point for `npx pingwarden` and `npm start`: runs the compiled CLI (built by `npm run build`,
// which `npm ci` runs through the `prepare` script).
import { survivePipeClose } from '../dist/cli/closed-console.js';
import { main } from '../dist/cli/main.js';

survivePipeClose();

process.exitCode = await main(process.argv);
