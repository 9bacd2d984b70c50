import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { parseHosts, PARSE_HOSTS_MODULE, type ParsedHosts } from './parse-hosts.js';
import { maskCredentials } from './service-check.js';
import type { Target } from './target.js';

/**
 * A valid hosts.csv as parsed before, under the key of what it was parsed from ({@link hostsParseKey}).
 * Only a parse without errors is kept: a file with errors is parsed again, so its messages are always
 * those of the code that runs. Nor is a file with a password in a URL (`https://admin:pw@nvr/`) kept.
 */
export interface CachedHostsParse {
  readonly key: string;
  readonly targets: readonly Target[];
  readonly warnings: readonly string[];
}

/**
 * Where a parse of hosts.csv is kept between runs (`logs/hosts-cache.v8`, see store/hosts-cache-file.ts).
 * `pingwarden once` from cron parses the same 10,000-row file every few minutes; taking the last parse back
 * costs a tenth of parsing it. A cache that cannot be read or written only costs that parse.
 */
export interface HostsParseCache {
  /** The parse last written, or null when there is none (or it cannot be read). */
  read(): Promise<CachedHostsParse | null>;
  write(entry: CachedHostsParse): Promise<void>;
}

/** How buildConfig parses hosts.csv: {@link parseHosts} with the default option table, or a cache of it. */
export type HostsParser = (text: string, file: string, options: { readonly attempts: number }) => ParsedHosts;

/** Bumped when the cached shape changes in a way the program stamp would not show. */
const CACHE_FORMAT = 'hosts-parse-1';

/**
 * What a parse depends on: the text, the path its messages name, the `attempts` setting (a route check's
 * probe count) and the program itself, as the size and modification time of the module that holds the
 * parser (any build rewrites it; so does an install of another version), so a cached parse is never one
 * that other code would have made differently.
 */
export function hostsParseKey(text: string, file: string, attempts: number): string {
  return createHash('sha256')
    .update(`${CACHE_FORMAT}\0${programStamp()}\0${file}\0${attempts}\0`)
    .update(text)
    .digest('hex');
}

let stamp: string | undefined;

function programStamp(): string {
  if (stamp === undefined) {
    const info = statSync(fileURLToPath(PARSE_HOSTS_MODULE));
    stamp = `${info.size}:${info.mtimeMs}`;
  }
  return stamp;
}

/**
 * A hosts.csv parser that answers from `cached` when the key matches and parses otherwise; `fresh` is the
 * new entry to keep after such a parse (null when the cache answered, the parse had errors or the file
 * holds a password).
 */
export class CachingHostsParser {
  private made: CachedHostsParse | null = null;

  constructor(private readonly cached: CachedHostsParse | null) {}

  /** Same contract as {@link parseHosts} with the default option table. */
  readonly parse: HostsParser = (text, file, options) => {
    const key = hostsParseKey(text, file, options.attempts);
    if (this.cached?.key === key) {
      return { targets: this.cached.targets, errors: [], warnings: this.cached.warnings };
    }
    const parsed = parseHosts(text, file, options);
    // The checks keep a URL's password (they log in with it), and logs/ must never hold one: such a file
    // is parsed every time.
    const keep = parsed.errors.length === 0 && maskCredentials(text) === text;
    this.made = keep ? { key, targets: parsed.targets, warnings: parsed.warnings } : null;
    return parsed;
  };

  /** The parse to keep, when this parser made one that the cache did not have. */
  get fresh(): CachedHostsParse | null {
    return this.made;
  }
}
