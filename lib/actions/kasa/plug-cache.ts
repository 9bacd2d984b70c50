import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import type { Log } from '../../shared/log.js';
import { errorMessage } from '../../shared/errors.js';
import { writeFileAtomic } from '../../shared/write-file-atomic.js';
import type { PlugInfo } from './plug.js';

/** One plug as last found by discovery. */
export interface CachedPlug {
  readonly alias: string;
  readonly address: string;
  readonly model: string;
  /** ISO time of the discovery that found it. */
  readonly foundAt: string;
}

interface CacheFile {
  readonly version: 1;
  readonly plugs: readonly CachedPlug[];
}

/**
 * The discovery results kept between runs (`logs/kasa-cache.json`), so a restart does not wait for a
 * discovery. Only a hint: every entry is checked against the plug before use. A missing or damaged file
 * is an empty cache.
 */
export class PlugCache {
  constructor(
    private readonly file: string,
    private readonly log: Log,
  ) {}

  async load(): Promise<CachedPlug[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return [];
    }
    try {
      const parsed = JSON.parse(text) as Partial<CacheFile>;
      if (parsed.version !== 1 || !Array.isArray(parsed.plugs)) throw new Error('unknown format');
      return parsed.plugs.filter(
        (p): p is CachedPlug => typeof p.alias === 'string' && typeof p.address === 'string',
      );
    } catch (error) {
      this.log.warn('kasa cache unreadable; ignoring it', {
        file: this.file,
        error: errorMessage(error),
      });
      return [];
    }
  }

  /** Replaces the entries of the plugs in `found` (by alias), keeping the others. Written atomically. */
  async update(found: readonly PlugInfo[], at: Date): Promise<void> {
    const fresh = new Map(found.map((p) => [p.alias.toLowerCase(), p]));
    const kept = (await this.load()).filter((p) => !fresh.has(p.alias.toLowerCase()));
    const plugs: CachedPlug[] = [
      ...kept,
      ...found.map((p) => ({
        alias: p.alias,
        address: p.address,
        model: p.model,
        foundAt: at.toISOString(),
      })),
    ].sort((a, b) => a.alias.localeCompare(b.alias));
    const content: CacheFile = { version: 1, plugs };
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(
      this.file,
      `${JSON.stringify(content, null, 2)}\n`,
      `${this.file}.${process.pid}.tmp`,
    );
  }
}
