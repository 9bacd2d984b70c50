import { ConfigError } from '../shared/errors.js';
import { hasLineBreak, readCsvRows } from './csv-rows.js';
import { validateEmailAddress } from './email-address.js';

/** The addresses of email_recipients.csv and every problem found in it. */
export interface ParsedRecipients {
  readonly recipients: readonly string[];
  /** Email-to-SMS gateway addresses, written `sms:ADDRESS`: they get the short form of each message. */
  readonly smsRecipients: readonly string[];
  readonly errors: readonly ConfigError[];
}

/**
 * Parses email_recipients.csv: addresses separated by commas and/or line breaks, any number per row.
 * Empty cells (a trailing comma) are ignored. Duplicates, compared case-insensitively, are errors. An
 * address written `sms:5551234@txt.example` is an email-to-SMS gateway: it gets the short form.
 *
 * @param file the path shown in messages, e.g. `config/email_recipients.csv`
 */
export function parseRecipients(text: string, file: string): ParsedRecipients {
  const { rows, errors: csvErrors } = readCsvRows(text, file);
  const errors: ConfigError[] = [...csvErrors];
  const recipients: string[] = [];
  const smsRecipients: string[] = [];
  const firstLineOf = new Map<string, number>();

  for (const { line, cells } of rows) {
    for (const cell of cells) {
      if (cell === '') continue;
      const sms = /^sms:/i.test(cell);
      const address = sms ? cell.slice(4).trim() : cell;
      if (hasLineBreak(address)) {
        errors.push(new ConfigError(file, line, 'line breaks are not allowed in an address'));
        continue;
      }
      const problem = validateEmailAddress(address);
      if (problem !== null) {
        errors.push(new ConfigError(file, line, `invalid email address ${JSON.stringify(cell)}: ${problem}`));
        continue;
      }
      const identity = `${sms ? 'sms:' : ''}${address.toLowerCase()}`;
      const firstLine = firstLineOf.get(identity);
      if (firstLine !== undefined) {
        errors.push(
          new ConfigError(file, line, `duplicate address "${cell}" (first listed on line ${firstLine})`),
        );
        continue;
      }
      firstLineOf.set(identity, line);
      (sms ? smsRecipients : recipients).push(address);
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { recipients, smsRecipients, errors };
}
