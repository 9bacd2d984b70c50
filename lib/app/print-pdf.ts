import { execFile } from 'node:child_process';
import { access, constants, copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { errorMessage, FaultError } from '../shared/errors.js';

/** The browsers tried, in order: Debian's package installs `chromium`; other systems may name it so. */
const CHROMIUM_NAMES = ['chromium', 'chromium-browser'] as const;

/**
 * Flags that switch off every network feature of a headless Chromium that can be switched off (updates,
 * sync, first-run fetches). `--no-sandbox`: root cannot use Chromium's sandbox, and the pages it is given
 * are our own files that fetch nothing. The tests' browsers start with the same flags.
 */
export const QUIET_CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
] as const;

/** A page of a year's report renders in a few seconds; this is for a slow, busy machine. */
const PRINT_TIMEOUT_MS = 120_000;

/**
 * The path of a headless-capable Chromium in `PATH`, or null.
 *
 * @param searchPath the `PATH` to search (the process's by default)
 */
export async function findChromium(searchPath = process.env.PATH ?? ''): Promise<string | null> {
  for (const name of CHROMIUM_NAMES) {
    for (const dir of searchPath.split(path.delimiter).filter((part) => part !== '')) {
      const candidate = path.join(dir, name);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/**
 * Prints a self-contained HTML page to `pdfFile` with headless Chromium. The page is a local file; every
 * network feature Chromium can switch off is off and every host name resolves to nothing, so printing sends
 * no traffic. Runs in a throwaway profile that is removed afterwards.
 *
 * @throws FaultError when Chromium is not installed (naming the Debian package), fails, or gives no PDF
 */
export async function printPdf(html: string, pdfFile: string, chromium?: string | null): Promise<void> {
  const browser = chromium === undefined ? await findChromium() : chromium;
  if (browser === null) {
    throw new FaultError(
      'report --format pdf needs Chromium to print the PDF, and none is installed: apt-get install chromium ' +
        '(or use --format html --for-isp and print it from a browser)',
    );
  }
  const work = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-pdf-'));
  try {
    const page = path.join(work, 'report.html');
    const printed = path.join(work, 'report.pdf');
    await writeFile(page, html);
    await run(browser, [
      '--headless',
      ...QUIET_CHROMIUM_FLAGS,
      '--host-resolver-rules=MAP * ~NOTFOUND',
      '--no-pdf-header-footer',
      `--user-data-dir=${path.join(work, 'profile')}`,
      `--print-to-pdf=${printed}`,
      pathToFileURL(page).href,
    ]);
    const size = await stat(printed).then(
      (s) => s.size,
      () => 0,
    );
    if (size === 0) throw new FaultError(`${browser} printed no PDF (is it a headless-capable Chromium?)`);
    await copyFile(printed, pdfFile);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function run(file: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: PRINT_TIMEOUT_MS }, (error, _stdout, stderr) => {
      if (error === null) {
        resolve();
        return;
      }
      const detail = String(stderr).trim().split('\n').at(-1) ?? '';
      reject(
        new FaultError(
          `${file} could not print the PDF: ${errorMessage(error)}${detail ? ` (${detail})` : ''}`,
        ),
      );
    });
  });
}
