/**
 * One hop-owner pattern: `AS12345` matches the autonomous system number of a hop's organisation; anything
 * else is a case-insensitive glob (`*` any text, `?` one character) matched against the hop's DNS name and
 * its organisation name, e.g. `*.hargray.net` or `*Hargray*`.
 */
export interface OrgPattern {
  /** As written, for messages. */
  readonly text: string;
  /** True for `AS<number>` patterns, which only organisation data can answer. */
  readonly isAsn: boolean;
  /** Whether a hop with this DNS name (null if unknown) and organisation (null if unknown) matches. */
  matches(name: string | null, org: string | null): boolean;
}

const ASN = /^AS([0-9]{1,10})$/i;
const ALLOWED = /^[A-Za-z0-9*?._ -]+$/;

/**
 * Reads a pattern; see {@link OrgPattern}.
 * @returns the pattern, or a problem
 */
export function parseOrgPattern(text: string): OrgPattern | string {
  if (text === '') return 'is empty';
  if (!ALLOWED.test(text)) {
    return `${JSON.stringify(text)} may contain only letters, digits, spaces, ".", "-", "_", "*" and "?"`;
  }
  const asn = ASN.exec(text);
  if (asn) {
    const wanted = `AS${Number(asn[1])}`;
    return {
      text,
      isAsn: true,
      // IPinfo and orgs.csv both write the organisation as "AS15169 Google LLC".
      matches: (_name, org) => org !== null && asnOf(org) === wanted,
    };
  }
  const regex = globToRegExp(text);
  return {
    text,
    isAsn: false,
    matches: (name, org) => (name !== null && regex.test(name)) || (org !== null && regex.test(org)),
  };
}

/**
 * Reads a comma-separated list of patterns, as in the `HopsMustIncludeOrg` header.
 * @returns the patterns, or the first problem
 */
export function parseOrgPatternList(text: string): OrgPattern[] | string {
  const patterns: OrgPattern[] = [];
  for (const part of text.split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const parsed = parseOrgPattern(entry);
    if (typeof parsed === 'string') return parsed;
    patterns.push(parsed);
  }
  if (patterns.length === 0) return 'lists no pattern';
  return patterns;
}

/** The `AS<number>` at the start of an organisation string, normalised (`as015169 X` → `AS15169`). */
export function asnOf(org: string): string | null {
  const match = /^AS([0-9]{1,10})\b/i.exec(org.trim());
  return match ? `AS${Number(match[1])}` : null;
}

function globToRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char === '.' ? '\\.' : char))
    .join('');
  return new RegExp(`^${body}\\.?$`, 'i');
}
