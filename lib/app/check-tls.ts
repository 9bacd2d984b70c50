import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ConfigError, errorMessage } from '../shared/errors.js';
import type { Settings } from '../config/types.js';
import { tlsFilesOf } from './build-listeners.js';

/**
 * Checks `http_tls_cert` and `http_tls_key`: both or neither, readable, PEM, and a key that matches the
 * certificate. Problems name settings.csv and the setting's line (0 when it cannot be found).
 */
export function checkTls(settings: Settings, configDir: string): ConfigError[] {
  const files = tlsFilesOf(settings.httpTlsCert, settings.httpTlsKey, configDir);
  if (!files) return [];
  const settingsFile = path.join(configDir, 'settings.csv');
  const lineOf = (key: string) => {
    try {
      const lines = readFileSync(settingsFile, 'utf8').split(/\r?\n/);
      const index = lines.findIndex((line) => line.trim().toLowerCase().startsWith(`${key},`));
      return index + 1;
    } catch {
      return 0;
    }
  };
  const problem = (key: string, message: string) => new ConfigError(settingsFile, lineOf(key), message);
  if (settings.httpTlsCert === '' || settings.httpTlsKey === '') {
    const missing = settings.httpTlsCert === '' ? 'http_tls_cert' : 'http_tls_key';
    const given = missing === 'http_tls_cert' ? 'http_tls_key' : 'http_tls_cert';
    return [problem(given, `${given} is set but ${missing} is not; HTTPS needs both`)];
  }
  const problems: ConfigError[] = [];
  let cert: X509Certificate | null = null;
  try {
    cert = new X509Certificate(readFileSync(files.cert));
  } catch (error) {
    problems.push(
      problem('http_tls_cert', `http_tls_cert ${files.cert}: ${reason(error, 'not a PEM certificate')}`),
    );
  }
  let key: ReturnType<typeof createPrivateKey> | null = null;
  try {
    key = createPrivateKey(readFileSync(files.key));
  } catch (error) {
    problems.push(
      problem('http_tls_key', `http_tls_key ${files.key}: ${reason(error, 'not a PEM private key')}`),
    );
  }
  if (cert && key && !cert.checkPrivateKey(key))
    problems.push(
      problem('http_tls_key', `http_tls_key ${files.key} does not match the certificate ${files.cert}`),
    );
  return problems;
}

function reason(error: unknown, otherwise: string): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'not readable (permission denied)';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return typeof code === 'string' && code.startsWith('E') ? errorMessage(error) : otherwise;
}
