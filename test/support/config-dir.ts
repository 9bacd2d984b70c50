import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A temporary config + logs folder pair for one test, removed by {@link TempSite.remove}. */
export interface TempSite {
  readonly root: string;
  readonly configDir: string;
  readonly logsDir: string;
  /** Writes (or overwrites) one config file. */
  write(file: string, text: string): Promise<void>;
  remove(): Promise<void>;
}

/** Makes a temporary site with the given config files (`creds.csv` gets mode 600, as the README asks). */
export async function tempSite(files: Record<string, string>): Promise<TempSite> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-'));
  const configDir = path.join(root, 'config');
  const logsDir = path.join(root, 'logs');
  const site: TempSite = {
    root,
    configDir,
    logsDir,
    async write(file, text) {
      await writeFile(path.join(configDir, file), text);
      if (file === 'creds.csv') await chmod(path.join(configDir, file), 0o600);
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
  await import('node:fs/promises').then((fs) => fs.mkdir(configDir, { recursive: true }));
  for (const [file, text] of Object.entries(files)) await site.write(file, text);
  return site;
}

/** The SMTP files for a local test server. */
export function smtpFiles(
  port: number,
  user: string,
  password: string,
  recipients: string[],
): Record<string, string> {
  return {
    'server_info.csv': `127.0.0.1,${port}\n`,
    'creds.csv': `${user},${password}\n`,
    'email_recipients.csv': `${recipients.join(',')}\n`,
  };
}
