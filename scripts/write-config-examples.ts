// Writes the generated parts of the shipped example config (`npm run examples`); test/config/
// config-examples.test.ts fails when the shipped files differ from what this writes.
import { writeFile } from 'node:fs/promises';

import { settingsExampleText } from '../lib/config/settings-example.js';

await writeFile(new URL('../config/settings.csv', import.meta.url), settingsExampleText());
process.stdout.write('wrote config/settings.csv\n');
