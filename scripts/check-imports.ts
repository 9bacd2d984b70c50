import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { checkImportLayers, formatViolation } from './import-layers.js';

// Run by `npm run lint`: fails (exit 1) on an import against the data flow or an import cycle in lib/.
// Usage: tsx scripts/check-imports.ts [root]   (root defaults to the repository)
const root = process.argv[2] ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const violations = checkImportLayers(root);
for (const violation of violations) console.error(formatViolation(violation));
if (violations.length > 0) {
  console.error(`check-imports: ${violations.length} import rule violation(s) in ${path.join(root, 'lib')}`);
  process.exitCode = 1;
}
