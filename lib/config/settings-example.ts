import { SETTING_SPECS, type AnySettingSpec } from './settings-table.js';

/** Settings the shipped example sets on purpose (a quicker first look than the 300 s default). */
const EXAMPLE_VALUES: readonly (readonly [key: string, value: string])[] = [['interval_seconds', '60']];

const WIDTH = 100;

/**
 * The text of the shipped `config/settings.csv`: a short explanation, the settings the example sets, and
 * every setting of {@link SETTING_SPECS} commented out with its default, what it does, what it accepts and
 * when an edit applies. Generated (`npm run examples`) so it cannot fall behind the table; a test checks
 * the shipped file against it.
 */
export function settingsExampleText(): string {
  const lines = [
    '# pingwarden settings: one key,value per line. Every key is optional: a key left out keeps its',
    '# default. Unknown keys are an error. Below, every setting is listed commented out with its default;',
    '# to change one, copy its line without the "# " and edit the value. "live" settings apply at the next',
    '# cycle after an edit, "restart" ones when pingwarden starts again. See README.md, "settings.csv".',
    '# This file is generated from lib/config/settings-table.ts by "npm run examples".',
    ...EXAMPLE_VALUES.map(([key, value]) => `${key},${value}`),
  ];
  for (const spec of SETTING_SPECS) {
    lines.push('', `# ${spec.key},${csvCell(defaultText(spec))}`);
    const about = `${spec.description} Allowed: ${spec.allowed}. Applies: ${spec.reload}.`;
    lines.push(...wrap(about, WIDTH - 4).map((line) => `#   ${line}`));
  }
  return `${lines.join('\n')}\n`;
}

/** A default as settings.csv would spell it: booleans as yes/no, the empty string as nothing. */
export function defaultText(spec: AnySettingSpec): string {
  if (typeof spec.default === 'boolean') return spec.default ? 'yes' : 'no';
  return String(spec.default);
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') out.push(line);
  return out;
}
