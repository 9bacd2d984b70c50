import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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

/**
 * A self-signed certificate that expired long ago (valid 2020-01-01 to 2020-01-02), made with `openssl ca`,
 * the only openssl 3.0 command that takes explicit dates.
 */
export async function makeExpiredCertificate(dir: string, name: string): Promise<TestCertificate> {
  const work = path.join(dir, `${name}-ca`);
  await mkdir(work, { recursive: true });
  await writeFile(path.join(work, 'index.txt'), '');
  await writeFile(path.join(work, 'serial'), '01\n');
  await writeFile(
    path.join(work, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = d',
      '[d]',
      `database = ${path.join(work, 'index.txt')}`,
      `new_certs_dir = ${work}`,
      `serial = ${path.join(work, 'serial')}`,
      'default_md = sha256',
      'policy = p',
      'copy_extensions = copy',
      'unique_subject = no',
      '[p]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.crt`);
  const csr = path.join(work, 'request.csr');
  await run('openssl', [
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    csr,
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  await run('openssl', [
    'ca',
    '-batch',
    '-config',
    path.join(work, 'ca.cnf'),
    '-selfsign',
    '-keyfile',
    keyFile,
    '-in',
    csr,
    '-out',
    certFile,
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200102000000Z',
  ]);
  const cert = await readFile(certFile, 'utf8');
  return {
    certFile,
    cert,
    key: await readFile(keyFile, 'utf8'),
    expiresAt: new Date('2020-01-02T00:00:00Z'),
  };
}
