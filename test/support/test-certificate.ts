import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A self-signed certificate and its key, made by `openssl` for one test. */
export interface TestCertificate {
  readonly certFile: string;
  readonly cert: string;
  readonly key: string;
  /** The certificate's notAfter, as openssl reads it. */
  readonly expiresAt: Date;
}

/**
 * Makes a self-signed P-256 certificate for `localhost` and 127.0.0.1, valid for `days` days from now,
 * with Debian's `openssl` (no library of ours involved, so the probers meet a real peer's certificate).
 */
export async function makeCertificate(dir: string, name: string, days: number): Promise<TestCertificate> {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    String(days),
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  const { stdout } = await run('openssl', ['x509', '-in', certFile, '-noout', '-enddate']);
  const expiresAt = new Date(stdout.trim().replace(/^notAfter=/, ''));
  return {
    certFile,
    cert: await readFile(certFile, 'utf8'),
    key: await readFile(keyFile, 'utf8'),
    expiresAt,
  };
}
