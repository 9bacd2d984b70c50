import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { ConfigError, errorMessage } from '../shared/errors.js';
import type { Check, Target, TlsTrust } from './target.js';

/** Largest `ca:` file read: a bundle of a few hundred certificates. */
const MAX_CA_BYTES = 1024 * 1024;

/** The targets with their `ca:` PEM text filled in, and every file that could not be used. */
export interface ResolvedCaFiles {
  readonly targets: readonly Target[];
  readonly errors: readonly ConfigError[];
}

/**
 * Reads the `ca:` file of every https/tls row once, at load, so probing never touches the disk and a
 * missing or broken file is a config error on the row's line, not a failed check every cycle.
 *
 * @param dir the config folder on disk (`ca:` paths are relative to it)
 * @param hostsFile hosts.csv as shown in messages
 */
export async function resolveCaFiles(
  targets: readonly Target[],
  dir: string,
  hostsFile: string,
): Promise<ResolvedCaFiles> {
  const errors: ConfigError[] = [];
  const cache = new Map<string, Promise<string | { problem: string }>>();
  const resolved = await Promise.all(
    targets.map(async (target): Promise<Target> => {
      const trust = trustOf(target.check);
      if (trust?.ca == null) return target;
      const file = path.resolve(dir, trust.ca.file);
      const read = cache.get(file) ?? readPem(file);
      cache.set(file, read);
      const pem = await read;
      if (typeof pem !== 'string') {
        errors.push(
          new ConfigError(
            hostsFile,
            target.line,
            `option "ca" file ${JSON.stringify(trust.ca.file)} ${pem.problem}`,
          ),
        );
        return target;
      }
      const tls: TlsTrust = { ...trust, ca: { file: trust.ca.file, pem } };
      return { ...target, check: { ...(target.check as Check & { tls: TlsTrust }), tls } as Check };
    }),
  );
  return { targets: resolved, errors };
}

function trustOf(check: Check): TlsTrust | null {
  return check.kind === 'http' || check.kind === 'tls' ? check.tls : null;
}

async function readPem(file: string): Promise<string | { problem: string }> {
  let bytes: Buffer;
  try {
    // A FIFO or a device would block or never end: only a regular file is read.
    const info = await stat(file);
    if (info.isDirectory()) return { problem: 'is a directory, not a file' };
    if (!info.isFile()) return { problem: 'is not a regular file' };
    if (info.size > MAX_CA_BYTES) return { problem: 'is larger than 1 MB' };
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problem: 'not found' };
    if (code === 'EISDIR') return { problem: 'is a directory, not a file' };
    return { problem: `cannot be read: ${errorMessage(error)}` };
  }
  if (bytes.length > MAX_CA_BYTES) return { problem: 'is larger than 1 MB' };
  const text = bytes.toString('utf8');
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    return { problem: 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)' };
  }
  return text;
}
