// Writes the generated parts of the shipped example config (`npm run examples`); test/config/
// config-examples.test.ts fails when the shipped files differ from what this writes.
import { writeFile } from 'node:fs/promises';

import { maintenanceExampleText } from '../lib/config/maintenance-example.js';
import { routesExampleText } from '../lib/config/routes-example.js';
import { settingsExampleText } from '../lib/config/settings-example.js';

await writeFile(new URL('../config/settings.csv', import.meta.url), settingsExampleText());
await writeFile(new URL('../config/maintenance.csv', import.meta.url), maintenanceExampleText());
await writeFile(new URL('../config/routes.csv', import.meta.url), routesExampleText());
process.stdout.write('wrote config/settings.csv, config/maintenance.csv and config/routes.csv\n');
