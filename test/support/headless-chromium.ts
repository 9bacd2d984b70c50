import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import puppeteer, { type Browser } from 'puppeteer-core';

import { QUIET_CHROMIUM_FLAGS } from '../../lib/app/print-pdf.js';
import { errorMessage } from '../../lib/shared/errors.js';

const run = promisify(execFile);

/**
 * Flags for every headless chromium the tests start: every network feature that can be switched off is, and
 * every host name resolves to nothing (loopback literals excepted), so a page reaches nothing but our server.
 */
export const CHROMIUM_FLAGS = [
  ...QUIET_CHROMIUM_FLAGS,
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
] as const;

/**
 * Debian's chromium under puppeteer-core (which downloads no browser), in a throwaway profile that
 * `close()` removes with the browser.
 */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    userDataDir: profile,
    args: [...CHROMIUM_FLAGS],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * For a `before` hook of a suite that needs Debian's `chromium`: skips with a printed reason when it is not
 * installed, or fails when PINGWARDEN_REQUIRE_LAB=1 (CI, which installs it) says it must run.
 */
export async function requireChromium(ctx: Mocha.Context): Promise<void> {
  try {
    await run('chromium', ['--version'], { timeout: 30_000 });
    return;
  } catch (error) {
    const reason = `chromium not usable (apt-get install chromium): ${errorMessage(error)}`;
    if (process.env.PINGWARDEN_REQUIRE_LAB === '1') throw new Error(reason, { cause: error });
    console.log(`      skipped: ${reason}`);
    ctx.skip();
  }
}

/**
 * Renders a local HTML file to a PNG with headless chromium. Every network feature that can be switched
 * off is, and every host name resolves to nothing, so the page gets no traffic beyond its own file.
 */
export async function screenshot(
  htmlFile: string,
  pngFile: string,
  width: number,
  height: number,
): Promise<void> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-chromium-'));
  try {
    await run(
      'chromium',
      [
        '--headless',
        ...CHROMIUM_FLAGS,
        `--user-data-dir=${profile}`,
        `--screenshot=${pngFile}`,
        `--window-size=${width},${height}`,
        pathToFileURL(htmlFile).href,
      ],
      { timeout: 60_000 },
    );
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
