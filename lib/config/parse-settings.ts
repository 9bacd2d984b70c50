import { ConfigError } from '../shared/errors.js';
import { foreignSeparatorError, hasLineBreak, readCsvRows } from './csv-rows.js';
import {
  SETTING_SPECS,
  storeSetting,
  withDefaults,
  type AnySettingSpec,
  type SettingValues,
} from './settings-table.js';
import type { Settings } from './types.js';

/** The settings of settings.csv (defaults filled in) and every problem found in it. */
export interface ParsedSettings {
  readonly settings: Settings;
  /** Keys that settings.csv actually set, with their lines; cross-file checks point at them. */
  readonly lines: ReadonlyMap<keyof Settings, number>;
  readonly errors: readonly ConfigError[];
}

const SPEC_BY_KEY = new Map<string, AnySettingSpec>(SETTING_SPECS.map((spec) => [spec.key, spec]));

/**
 * Parses settings.csv: `key,value` rows (an optional first row `key,value` is a header). Keys are matched
 * case-insensitively; a key left out keeps its default (see SETTINGS_TABLE). Unknown keys, repeated keys
 * and values outside the allowed range are errors naming the key and line.
 *
 * @param file the path shown in messages, e.g. `config/settings.csv`
 */
export function parseSettings(text: string, file: string): ParsedSettings {
  const { rows, errors: csvErrors } = readCsvRows(text, file);
  const separator = foreignSeparatorError(rows, file);
  if (separator !== null)
    return { settings: withDefaults({}), lines: new Map(), errors: [...csvErrors, separator] };
  const errors: ConfigError[] = [...csvErrors];
  const values: SettingValues = {};
  const lines = new Map<keyof Settings, number>();

  rows.forEach(({ line, cells }, index) => {
    const problem = (message: string): void => void errors.push(new ConfigError(file, line, message));
    const [rawKey = '', value = ''] = cells;
    const key = rawKey.toLowerCase();
    if (index === 0 && key === 'key' && value.toLowerCase() === 'value') return;
    if (cells.some(hasLineBreak)) return problem('line breaks are not allowed in settings');
    if (key === '') return problem('missing key before the ","');
    const spec = SPEC_BY_KEY.get(key);
    if (!spec) return problem(`unknown setting ${JSON.stringify(shown(rawKey))} (${suggest(key)})`);
    if (cells.length > 2) return problem(`too many values for ${spec.key}: expected "key,value"`);
    const firstLine = lines.get(spec.field);
    if (firstLine !== undefined) return problem(`${spec.key} is set twice (first on line ${firstLine})`);
    lines.set(spec.field, line);
    if (cells.length < 2) return problem(`${spec.key} has no value (expected "${spec.key},VALUE")`);
    if (!storeSetting(values, spec, value)) {
      // A token or webhook URL is a secret: a typo in it must not land in the log or a terminal's scrollback.
      const given = spec.secret
        ? `got a value of ${value.length} characters (not shown: it is a secret)`
        : `got ${JSON.stringify(value)}`;
      problem(`${spec.key} must be ${spec.allowed}, ${given}`);
    }
  });
  errors.sort((a, b) => a.line - b.line);
  return { settings: withDefaults(values), lines, errors };
}

const SETTINGS_DOCS =
  'every setting is listed in README.md, "settings.csv", and commented in config/settings.csv';

/** Longest key echoed in a message: a pasted megabyte of junk is shown as its first 60 characters. */
const MAX_KEY_SHOWN = 60;
const LONGEST_KEY = Math.max(...SETTING_SPECS.map((spec) => spec.key.length));

function shown(key: string): string {
  return key.length <= MAX_KEY_SHOWN ? key : `${key.slice(0, MAX_KEY_SHOWN)}... (${key.length} characters)`;
}

/** A typo's likely target, else the settings sharing a word with the key, else where the list is. */
function suggest(key: string): string {
  // A key more than 2 longer than every setting is no typo of one: skipping the (quadratic) distance and
  // looking for words in its start only keeps a 1 MB junk line as cheap as a short one.
  const close =
    key.length <= LONGEST_KEY + 2
      ? SETTING_SPECS.find((spec) => editDistance(key, spec.key) <= 2)
      : undefined;
  if (close) return `did you mean "${close.key}"?`;
  // The full list is 47 keys (900 characters): show the near misses only.
  const words = key
    .slice(0, 200)
    .split(/[_\s-]+/)
    .filter((word) => word.length >= 3);
  const alike = (a: string, b: string) => {
    const n = Math.min(5, a.length, b.length);
    return n >= 3 && a.slice(0, n) === b.slice(0, n);
  };
  const related = SETTING_SPECS.filter((spec) =>
    spec.key.split('_').some((part) => words.some((word) => alike(word, part))),
  )
    .slice(0, 5)
    .map((spec) => spec.key);
  if (related.length > 0) return `similar settings: ${related.join(', ')}; ${SETTINGS_DOCS}`;
  return SETTINGS_DOCS;
}

/** Levenshtein distance, for "did you mean" on typos; keys are short, so the simple table is fine. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
