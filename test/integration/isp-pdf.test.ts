import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { expect } from 'chai';
import { PNG } from 'pngjs';

import { TIMELINE_COLOURS } from '../../lib/report/render-html.js';
import { errorMessage } from '../../lib/shared/errors.js';
import { writeFixture } from '../report/report-fixture.js';
import { runCli } from '../support/cli-process.js';
import { requireChromium } from '../support/headless-chromium.js';

const run = promisify(execFile);

/** Skips without poppler-utils (pdftoppm, pdftotext), or fails when CI says it must run. */
async function requirePoppler(ctx: Mocha.Context): Promise<void> {
  try {
    await run('pdftoppm', ['-v'], { timeout: 10_000 });
  } catch (error) {
    const reason = `pdftoppm not usable (apt-get install poppler-utils): ${errorMessage(error)}`;
    if (process.env.PINGWARDEN_REQUIRE_LAB === '1') throw new Error(reason, { cause: error });
    console.log(`      skipped: ${reason}`);
    ctx.skip();
  }
}

/** How many pixels of `png` are within a small distance of the colour `hex`. */
function pixelsOf(png: PNG, hex: string): number {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let count = 0;
  for (let at = 0; at < png.data.length; at += 4) {
    if (want.every((value, i) => Math.abs(png.data[at + i]! - value) <= 12)) count++;
  }
  return count;
}

describe('integration: report --format pdf, the ISP evidence pack (chromium, pdftoppm)', function () {
  this.timeout(120_000);
  let root = '';
  let fixture: Awaited<ReturnType<typeof writeFixture>> | undefined;
  before(async function () {
    await requireChromium(this);
    await requirePoppler(this);
  });
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-pdf-test-'));
    fixture = await writeFixture();
  });
  afterEach(async () => {
    await fixture?.remove();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const reportArgs = (...more: string[]) => [
    'report',
    '--config',
    path.join(root, 'no-config'),
    '--logs',
    fixture!.logsDir,
    '--since',
    '2026-11-01',
    '--until',
    '2026-11-02',
    ...more,
  ];

  it('prints a PDF whose pages show the outages as text and the down time in red', async () => {
    const pdf = path.join(root, 'outages.pdf');
    const result = await runCli(reportArgs('--format', 'pdf', '--out', pdf));
    expect(result.code, result.output()).to.equal(0);
    expect(result.stderr).to.include(`wrote ${pdf}`);

    const { stdout: text } = await run('pdftotext', ['-layout', pdf, '-'], { timeout: 30_000 });
    expect(text).to.include('Internet outage evidence, 2026-11-01 00:00:00 to 2026-11-02 00:00:00 UTC');
    expect(text).to.match(/2026-11-01 05:00:00 ±2h 0m 0s\s+2026-11-01 06:00:00 ±1m 0s/);
    expect(text).to.include('Availability per host');

    await run('pdftoppm', ['-r', '60', '-png', pdf, path.join(root, 'page')], { timeout: 60_000 });
    const pages = (await readdir(root)).filter((name) => /^page-\d+\.png$/.test(name)).sort();
    expect(pages.length, 'pages').to.be.within(1, 6);
    let red = 0;
    let green = 0;
    for (const name of pages) {
      const png = PNG.sync.read(await readFile(path.join(root, name)));
      red += pixelsOf(png, TIMELINE_COLOURS.down);
      green += pixelsOf(png, TIMELINE_COLOURS.up);
    }
    // The fixture's timelines: host a down 01:00-01:30 and from 20:00, b 05:00-06:00; most of the day up.
    expect(red, 'down stretches drawn red').to.be.greaterThan(200);
    expect(green, 'up stretches drawn green').to.be.greaterThan(red);
  });

  it('refuses a PDF without --out, --for-isp with a text format, and names the package when chromium is missing', async () => {
    const noOut = await runCli(reportArgs('--format', 'pdf'));
    expect(noOut.code).to.equal(2);
    expect(noOut.stderr).to.include('--format pdf writes a file: add --out FILE');
    const csv = await runCli(reportArgs('--format', 'csv', '--for-isp'));
    expect(csv.code).to.equal(2);
    expect(csv.stderr).to.include('--for-isp goes with --format html or --format pdf');

    const missing = await runCli(reportArgs('--format', 'pdf', '--out', path.join(root, 'x.pdf')), {
      PATH: path.join(root, 'empty-path'),
    });
    expect(missing.code, missing.output()).to.equal(1);
    expect(missing.stderr).to.include('apt-get install chromium');
    expect(missing.stderr).not.to.match(/\n\s+at /);
    expect(await readdir(root), 'no empty PDF left behind').not.to.include('x.pdf');
    const nowhere = await runCli(reportArgs('--format', 'pdf', '--out', path.join(root, 'missing', 'x.pdf')));
    expect(nowhere.code).to.equal(2);
    expect(nowhere.stderr).to.include('does not exist (create it first)');
  });

  it('writes the ISP pack as HTML with --for-isp', async () => {
    const result = await runCli(reportArgs('--format', 'html', '--for-isp'));
    expect(result.code, result.output()).to.equal(0);
    expect(result.stdout).to.include('<h2>How this was measured</h2>');
    expect(result.stdout).to.include('Outages on the provider');
  });
});
