import { parse, type CsvError, type Info } from 'csv-parse/sync';

import { ConfigError } from '../shared/errors.js';

/** One CSV record of a config file, with the line it starts on. */
export interface CsvRow {
  /** 1-based line of the record's first character, also when a quoted value spans several lines. */
  readonly line: number;
  /** Cell values, trimmed, quotes removed; never empty (all-empty rows are skipped). */
  readonly cells: readonly string[];
}

/** The records of one file plus the CSV syntax problems found in it. */
export interface CsvRows {
  readonly rows: readonly CsvRow[];
  readonly errors: readonly ConfigError[];
}

interface ParsedRecord {
  readonly record: string[];
  readonly info: Info;
}

/**
 * Reads the RFC 4180 records of a hand-edited config file: UTF-8 BOM stripped, CRLF or LF, whitespace
 * around cells trimmed, quotes and embedded commas honoured, rows may have any number of cells. Lines whose
 * first non-blank character is `#` and blank lines are skipped. Rows whose cells are all empty (`,,,`, as
 * spreadsheets export blank rows) are skipped too.
 *
 * Malformed quoting does not stop the reading: each problem is reported once per line and the rest of the
 * file is still read, although a stray quote can swallow the records after it (csv-parse keeps going inside
 * the quote), so fixing one quoting problem may reveal others.
 *
 * @param text the file's content
 * @param file the path shown to the user, e.g. `config/hosts.csv`
 */
export function readCsvRows(text: string, file: string): CsvRows {
  const lines = new LineIndex(text);
  const syntaxErrors = new Map<number, ConfigError>();
  const records = parse(text, {
    bom: true,
    info: true,
    trim: true,
    relax_column_count: true,
    skip_empty_lines: true,
    comment: '#',
    // `#` inside a value ("Room #5") is data; only a line starting with `#` is a comment.
    comment_no_infix: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      if (!err) return undefined;
      const line = lines.lineAt(byteOffsetOf(err));
      // csv-parse often reports one broken quote twice (opening and closing); once is enough.
      if (!syntaxErrors.has(line)) syntaxErrors.set(line, new ConfigError(file, line, describeCsvError(err)));
      return undefined;
    },
  }) as unknown as ParsedRecord[];

  const rows: CsvRow[] = [];
  for (const { record, info } of records) {
    if (record.every((cell) => cell === '')) continue;
    // csv-parse's own `info.lines` is the line a record ends on and counts a CRLF inside quotes twice, so
    // the start line is worked out from the byte offset of the record's end instead.
    const endLine = lines.recordEndLine(info.bytes);
    const innerBreaks = record.reduce((sum, cell) => sum + countLineBreaks(cell), 0);
    rows.push({ line: endLine - innerBreaks, cells: record });
  }
  const errors = [...syntaxErrors.values()].sort((a, b) => a.line - b.line);
  return { rows, errors };
}

const SEPARATORS = [
  { char: ';', name: 'semicolons' },
  { char: '\t', name: 'tabs' },
] as const;

/**
 * One error for a file saved with `;` or tabs instead of commas (Excel in many locales): no row has a second
 * cell, and most rows contain the other character. Null for a real comma-separated file (rows of one cell,
 * such as host-only rows, are fine). One line saying so beats one error per row.
 */
export function foreignSeparatorError(rows: readonly CsvRow[], file: string): ConfigError | null {
  if (rows.length === 0 || rows.some((row) => row.cells.length > 1)) return null;
  for (const { char, name } of SEPARATORS) {
    const using = rows.filter((row) => (row.cells[0] ?? '').includes(char));
    if (using.length * 2 >= rows.length)
      return new ConfigError(
        file,
        using[0]?.line ?? 0,
        `is separated by ${name}, not commas; save it as comma-separated (in Excel: "CSV UTF-8 (Comma delimited)")`,
      );
  }
  return null;
}

/** True when a cell holds a line break, which only a quoted value can. */
export function hasLineBreak(cell: string): boolean {
  return /[\r\n]/.test(cell);
}

function countLineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

function byteOffsetOf(err: CsvError): number {
  return typeof err.bytes === 'number' ? err.bytes : 0;
}

function describeCsvError(err: CsvError): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quote (") opened here is never closed';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote (") in the middle of a value; quote the whole value and double any quote inside it ("")';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'text after a closing quote ("); quote the whole value and double any quote inside it ("")';
    default:
      return `CSV syntax error: ${err.message.replace(/ at line \d+/, '')}`;
  }
}

/** Maps UTF-8 byte offsets (what csv-parse counts) to 1-based line numbers. */
class LineIndex {
  /** Byte offset at which each line starts, ascending. */
  private readonly starts: number[] = [0];
  private readonly bytes: Buffer;

  constructor(text: string) {
    const bytes = Buffer.from(text, 'utf8');
    this.bytes = bytes;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      if (byte === 0x0a) this.starts.push(i + 1);
      else if (byte === 0x0d && bytes[i + 1] !== 0x0a) this.starts.push(i + 1);
    }
  }

  /** Line of a record that ends at `endOffset`, which includes the record's line break if it has one. */
  recordEndLine(endOffset: number): number {
    let offset = endOffset;
    if (offset > 0 && this.bytes[offset - 1] === 0x0a) offset -= 1;
    if (offset > 0 && this.bytes[offset - 1] === 0x0d) offset -= 1;
    return this.lineAt(Math.max(0, offset - 1));
  }

  lineAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }
}
