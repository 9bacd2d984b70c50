import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The rank of every lib/ folder along the data flow (DESIGN.md). A folder imports only from itself, from
 * folders of a lower rank, and from shared/. Folders of the same rank are peers and must not import each
 * other: notify and actions (both act on the monitor's effects), report and server (both read the store).
 */
export const LAYER_RANKS = {
  shared: 0,
  config: 1,
  probe: 2,
  monitor: 3,
  notify: 4,
  actions: 4,
  store: 5,
  report: 6,
  server: 6,
  sensor: 7,
  app: 8,
  cli: 9,
} as const satisfies Record<string, number>;

/** A folder with a rank in {@link LAYER_RANKS}. */
export type Layer = keyof typeof LAYER_RANKS;

/** Which rule an import breaks. */
export type ImportRule = 'layer' | 'cycle' | 'unknown-layer';

/** One broken rule, at the import that breaks it. */
export interface ImportViolation {
  /** Relative to the checked root, with `/`: `lib/config/types.ts`. */
  readonly file: string;
  /** 1-based line of the import. */
  readonly line: number;
  readonly rule: ImportRule;
  readonly message: string;
}

/** One relative import from a lib/ file to another lib/ file. */
interface ImportEdge {
  readonly from: string;
  readonly to: string;
  readonly line: number;
}

/** `lib/config/types.ts:12: [layer] ...`: what the check prints, one line per violation. */
export function formatViolation(v: ImportViolation): string {
  return `${v.file}:${v.line}: [${v.rule}] ${v.message}`;
}

/**
 * Checks every `.ts` file under `<root>/lib` for imports against the data flow and for import cycles.
 * Type-only imports and `export ... from` count: a type still ties a layer to the one it names.
 * @returns the violations, sorted by file and line; empty when the tree is clean
 */
export function checkImportLayers(root: string): ImportViolation[] {
  const files = listTsFiles(path.join(root, 'lib')).map((file) => toPosix(path.relative(root, file)));
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  const violations: ImportViolation[] = [];

  for (const file of files) {
    const fromLayer = layerOf(file);
    if (fromLayer === null) {
      violations.push({
        file,
        line: 1,
        rule: 'unknown-layer',
        message: `${file} is not inside a ranked lib/ folder (${Object.keys(LAYER_RANKS).join(', ')})`,
      });
    }
    for (const { specifier, line } of importsOf(readFileSync(path.join(root, file), 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(file, specifier, known);
      if (target === null) continue;
      edges.push({ from: file, to: target, line });
      const toLayer = layerOf(target);
      if (fromLayer === null || toLayer === null) continue;
      const problem = layerProblem(fromLayer, toLayer);
      if (problem !== null)
        violations.push({ file, line, rule: 'layer', message: `imports ${target}: ${problem}` });
    }
  }
  violations.push(...cycleViolations(edges));
  return violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Why `from` may not import `to`, or null when it may. */
function layerProblem(from: Layer, to: Layer): string | null {
  if (from === to || to === 'shared') return null;
  const [a, b] = [LAYER_RANKS[from], LAYER_RANKS[to]];
  if (b < a) return null;
  if (a === b) return `${from} and ${to} are peers (rank ${a}) and must not import each other`;
  return `${from} (rank ${a}) must not import ${to} (rank ${b}): imports follow the data flow`;
}

/** Every cycle once (one per strongly connected component), reported at the import that closes it. */
function cycleViolations(edges: readonly ImportEdge[]): ImportViolation[] {
  const out = new Map<string, ImportEdge[]>();
  for (const edge of edges) out.set(edge.from, [...(out.get(edge.from) ?? []), edge]);
  const violations: ImportViolation[] = [];
  for (const component of stronglyConnected([...out.keys()], out)) {
    const members = new Set(component);
    const selfLoop = component.length === 1 && (out.get(component[0]!) ?? []).some((e) => e.to === e.from);
    if (component.length < 2 && !selfLoop) continue;
    const start = [...members].sort()[0]!;
    const pathEdges = cycleThrough(start, members, out);
    const closing = pathEdges[pathEdges.length - 1]!;
    // Each file with the line where it imports the next: `a.ts:3 -> b.ts:7 -> a.ts`.
    const chain = [...pathEdges.map((e) => `${e.from}:${e.line}`), start];
    violations.push({
      file: closing.from,
      line: closing.line,
      rule: 'cycle',
      message: `import cycle: ${chain.join(' -> ')}`,
    });
  }
  return violations;
}

/** A shortest cycle from `start` back to itself inside `members` (breadth first). */
function cycleThrough(start: string, members: ReadonlySet<string>, out: ReadonlyMap<string, ImportEdge[]>) {
  const via = new Map<string, ImportEdge>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const edge of out.get(node) ?? []) {
      if (!members.has(edge.to)) continue;
      if (edge.to === start) {
        const chain = [edge];
        for (let at = node; at !== start; at = via.get(at)!.from) chain.unshift(via.get(at)!);
        return chain;
      }
      if (!via.has(edge.to)) {
        via.set(edge.to, edge);
        queue.push(edge.to);
      }
    }
  }
  throw new Error(`no cycle through ${start}`);
}

/** Tarjan's algorithm; recursive, which the depth of an import graph allows. */
function stronglyConnected(nodes: readonly string[], out: ReadonlyMap<string, ImportEdge[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const { to } of out.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return components;
}

/** Static imports, `export ... from`, `import type`, `import('...')` and `require`, with their lines. */
function importsOf(text: string): { specifier: string; line: number }[] {
  const info = ts.preProcessFile(text, true, true);
  const source = ts.createSourceFile('imports.ts', text, ts.ScriptTarget.Latest, false);
  return info.importedFiles.map((ref) => ({
    specifier: ref.fileName,
    line: source.getLineAndCharacterOfPosition(ref.pos).line + 1,
  }));
}

/** The lib/ file a relative specifier names (`./x.js` is `./x.ts` under nodenext), or null if outside. */
function resolve(from: string, specifier: string, known: ReadonlySet<string>): string | null {
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const candidates = [joined.replace(/\.js$/, '.ts'), joined, `${joined}.ts`, `${joined}/index.ts`];
  return candidates.find((candidate) => known.has(candidate)) ?? null;
}

/** `lib/<folder>/...` gives the folder when it is ranked. */
function layerOf(file: string): Layer | null {
  const folder = file.split('/')[1] ?? '';
  return Object.hasOwn(LAYER_RANKS, folder) && file.split('/').length > 2 ? (folder as Layer) : null;
}

function listTsFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return listTsFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
