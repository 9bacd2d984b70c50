// Runs the CLI from TypeScript sources, so integration tests exercise the code under test without a build.
import { main } from '../../lib/cli/main.js';

process.exitCode = await main(process.argv);
