import { createRequire } from 'node:module';
import path from 'node:path';

import type Handlebars from 'handlebars';

import { ConfigError } from '../shared/errors.js';
import { readConfigFile } from './read-config-file.js';

/**
 * The optional template of the generic webhook's body, in the config folder. A fixed name (not a setting) so
 * the config watcher sees it like the CSV files: editing it applies at the next cycle.
 */
export const WEBHOOK_TEMPLATE_FILE = 'webhook-template.hbs';

const requireCjs = createRequire(import.meta.url);
let handlebarsPackage: typeof Handlebars | null = null;

/** A Handlebars environment of our own with the helpers webhook templates may use. */
export function webhookTemplateEngine(): typeof Handlebars {
  // Loaded when a template is first checked or used: most configs have none, and loading it cost 0.04 s of
  // every cron run's CPU.
  const handlebars = (handlebarsPackage ??= requireCjs('handlebars') as typeof Handlebars);
  const engine = handlebars.create();
  // Bodies are JSON or plain text, never HTML: {{json value}} writes a JSON literal (quotes, escapes).
  engine.registerHelper('json', (value: unknown) => new handlebars.SafeString(JSON.stringify(value ?? null)));
  engine.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  return engine;
}

/**
 * Checks a template's syntax at load, so a typo is a config error naming the file and the line Handlebars
 * reports (`config/webhook-template.hbs:3: webhook template: Expecting 'ID', got 'EOF'`), not a failed delivery.
 */
export function checkWebhookTemplate(text: string, file: string): ConfigError | null {
  try {
    const engine = webhookTemplateEngine();
    engine.precompile(text, { noEscape: true });
    // Handlebars finds an unknown helper or a partial only when it renders, i.e. at every delivery of every
    // alert: each would fail until the outbox drops it. Name it now, with its line.
    const unknown = unknownCalls(engine.parse(text)).at(0);
    return unknown ? new ConfigError(file, unknown.line, `webhook template: ${unknown.problem}`) : null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /on line (\d+)/.exec(message)?.[1] ?? (error as { lineNumber?: number }).lineNumber;
    const problem = message
      .split('\n')
      .filter((part) => !/^Parse error on line|^-+\^$|^\s*\.\.\./.test(part))
      .filter((part) => part.trim() !== '')
      .at(-1);
    // `{"text": {{json message}}}` reads as a triple-stash close: the common slip in a JSON template.
    const hint = /CLOSE_UNESCAPED/.test(message) ? ' (a "}}}" closes "{{{": put a space in "}} }")' : '';
    return new ConfigError(file, Number(line ?? 0), `webhook template: ${problem ?? message}${hint}`);
  }
}

/** Helpers a template may call: Handlebars' own and the ones {@link webhookTemplateEngine} adds. */
const KNOWN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log', 'json', 'eq']);

type Call = { readonly line: number; readonly problem: string };
type AnyNode = hbs.AST.Node & {
  readonly path?: hbs.AST.PathExpression | hbs.AST.Literal;
  readonly params?: readonly hbs.AST.Node[];
  readonly hash?: hbs.AST.Hash;
  readonly program?: hbs.AST.Program;
  readonly inverse?: hbs.AST.Program;
  readonly body?: readonly hbs.AST.Node[];
};

/**
 * Calls of helpers that do not exist, and partials (none are registered), in document order. A mustache
 * with arguments or a subexpression calls a helper; `{{name}}` alone and `{{#events}}` are field lookups.
 */
function unknownCalls(node: AnyNode | undefined): Call[] {
  if (!node) return [];
  const line = node.loc?.start.line ?? 0;
  const found: Call[] = [];
  if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement')
    found.push({ line, problem: 'partials ({{> name}}) are not available; write the text in the template' });
  const path = node.path as hbs.AST.PathExpression | undefined;
  const isCall =
    node.type === 'SubExpression' ||
    ((node.type === 'MustacheStatement' || node.type === 'BlockStatement') &&
      ((node.params?.length ?? 0) > 0 || (node.hash?.pairs.length ?? 0) > 0));
  if (isCall && path?.type === 'PathExpression' && !KNOWN_HELPERS.has(path.original))
    found.push({
      line,
      problem: `unknown helper "${path.original}" (available: ${[...KNOWN_HELPERS].join(', ')})`,
    });
  const children: (AnyNode | undefined)[] = [
    ...(node.params ?? []),
    ...(node.hash?.pairs.map((pair) => pair.value) ?? []),
    ...(node.body ?? []),
    node.program,
    node.inverse,
  ];
  for (const child of children) found.push(...unknownCalls(child));
  return found;
}

/** Reads and checks `webhook-template.hbs`: its text, a problem, or neither when there is no such file. */
export async function readWebhookTemplate(
  dir: string,
  displayDir: string,
): Promise<{ readonly text?: string; readonly error?: ConfigError }> {
  const file = path.join(displayDir, WEBHOOK_TEMPLATE_FILE);
  const { content } = await readConfigFile(path.join(dir, WEBHOOK_TEMPLATE_FILE));
  if (content.state === 'absent') return {};
  if (content.state !== 'text') return { error: new ConfigError(file, 0, content.problem) };
  const error = checkWebhookTemplate(content.text, file);
  return error === null ? { text: content.text } : { error };
}
