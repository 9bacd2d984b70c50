import { ConfigError } from '../shared/errors.js';
import { hasLineBreak, readCsvRows } from './csv-rows.js';
import { validateEmailAddress } from './email-address.js';

/** The addresses of email_recipients.csv and every problem found in it. */
export interface ParsedRecipients {
  readonly recipients: readonly string[];
  readonly errors: readonly ConfigError[];
}

/**
 * Parses email_recipients.csv: addresses separated by commas and/or line breaks, any number per row.
 * Empty cells (a trailing comma) are ignored. Duplicates, compared case-insensitively, are errors.
 *
 * @param file the path shown in messages, e.g. `config/email_recipients.csv`
 */
export function parseRecipients(text: string, file: string): ParsedRecipients {
  const { rows, errors: csvErrors } = readCsvRows(text, file);
  const errors: ConfigError[] = [...csvErrors];
  const recipients: string[] = [];
  const firstLineOf = new Map<string, number>();

  for (const { line, cells } of rows) {
    for (const address of cells) {
      if (address === '') continue;
      if (hasLineBreak(address)) {
        errors.push(new ConfigError(file, line, 'line breaks are not allowed in an address'));
        continue;
      }
      const problem = validateEmailAddress(address);
      if (problem !== null) {
        errors.push(
          new ConfigError(file, line, `invalid email address ${JSON.stringify(address)}: ${problem}`),
        );
        continue;
      }
      const identity = address.toLowerCase();
      const firstLine = firstLineOf.get(identity);
      if (firstLine !== undefined) {
        errors.push(
          new ConfigError(file, line, `duplicate address "${address}" (first listed on line ${firstLine})`),
        );
        continue;
      }
      firstLineOf.set(identity, line);
      recipients.push(address);
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { recipients, errors };
}
