import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { PNG } from 'pngjs';
import type { Browser } from 'puppeteer-core';

import { CliProcess } from '../support/cli-process.js';
import { tempSite, type TempSite } from '../support/config-dir.js';
import { freePort } from '../support/free-port.js';
import { launchChromium, requireChromium } from '../support/headless-chromium.js';
import { createLab, requireLab, type NetnsLab } from '../support/netns-lab.js';
import { waitFor } from '../support/wait-for.js';

const run = promisify(execFile);
const TOKEN = 'status-token-0123456789';
const PUSH_KEY = 'push-key-abcdef0123456789';
const INTERVAL_S = 2;
// STATUS_LOOK.DOWN in lib/server/status/status-page.ts.
const DOWN_RGB = [0xe5, 0x3e, 0x3e] as const;

function countColour(png: PNG, [r, g, b]: readonly [number, number, number]): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4)
    if (
      Math.abs((png.data[i] as number) - r) < 8 &&
      Math.abs((png.data[i + 1] as number) - g) < 8 &&
      Math.abs((png.data[i + 2] as number) - b) < 8
    )
      n++;
  return n;
}

describe('the status page in headless Chromium against the daemon in the lab', function () {
  this.timeout(90_000);
  let lab: NetnsLab | undefined;
  let site: TempSite | undefined;
  let daemon: CliProcess | undefined;
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let browser: Browser | undefined;
  let base = '';
  const hosts: string[] = [];

  before(async function () {
    await requireLab(this);
    await requireChromium(this);
    lab = await createLab();
    for (const n of [1, 2, 3]) {
      hosts.push(lab.host(n));
      await lab.addHost(lab.host(n));
    }
    const port = await freePort();
    // The lab namespace reaches the monitor at its veth address, so the daemon listens on every interface.
    base = `http://127.0.0.1:${port}`;
    site = await tempSite({
      'hosts.csv': [
        'host,description,location',
        `${hosts[0]},Core router,Bldg 6 MDF`,
        `${hosts[1]},Edge switch,Bldg 6 MDF`,
        `${hosts[2]},Annex AP,Annex`,
      ].join('\n'),
      'sensors.csv': `name,secret_file_or_key,down_seconds,description,location\nnas,${PUSH_KEY},30,NAS cron,Annex\n`,
      'settings.csv': [
        'key,value',
        `interval_seconds,${INTERVAL_S}`,
        'attempts,1',
        'timeout_seconds,1',
        `http_port,${port}`,
        'http_listen,0.0.0.0',
        `http_token,${TOKEN}`,
        'status_title,Lab status',
      ].join('\n'),
    });
    daemon = new CliProcess(['start', '--config', site.configDir, '--logs', site.logsDir]);
    await daemon.waitForOutput(/cycle hosts=4/, 30_000);
    chromium = await launchChromium();
    browser = chromium.browser;
  });
  after(async () => {
    await chromium?.close();
    await daemon?.stop('SIGKILL');
    await lab?.destroy();
    await site?.remove();
  });

  it('lists the lab hosts, shows a host taken down as DOWN within one cycle + 2 s without reload, in red', async () => {
    const page = await browser!.newPage();
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith('data:')) external.push(request.url());
    });
    await page.setViewport({ width: 1000, height: 700 });
    await page.goto(`${base}/?token=${TOKEN}`, { waitUntil: 'load' });
    expect(await page.title()).to.equal('Lab status');
    const rows = await page.$$eval('li[id^="h:"]', (els) => els.map((el) => el.id.slice(2)));
    for (const host of hosts) expect(rows).to.include(host);
    expect(await page.$eval('#ov', (el) => el.textContent)).to.match(/^0 of 4 down/);
    // Availability on the overview rows once the daemon has seen two cycles (the first starts counting).
    await page.waitForFunction(
      `document.querySelector('[id="h:${hosts[0]}"] em')?.textContent === '24h 100% 7d 100% 30d 100%'`,
      { timeout: 4 * INTERVAL_S * 1000 + 5000, polling: 100 },
    );
    // Mark the document: a reload would lose the mark.
    await page.evaluate('window.pwMark = 1');

    await lab!.removeHost(hosts[1]!);
    const takenDownAt = Date.now();
    await page.waitForFunction(
      `document.getElementById('h:${hosts[1]}')?.classList.contains('DOWN') === true`,
      { timeout: (INTERVAL_S + 1 + 2) * 1000 + 5000, polling: 100 },
    );
    const tookMs = Date.now() - takenDownAt;
    // One cycle (interval + the 1 s timeout of the probe) plus 2 s.
    expect(tookMs, 'time to DOWN on the page').to.be.below((INTERVAL_S + 1 + 2) * 1000);
    expect(await page.evaluate('window.pwMark')).to.equal(1);
    const text = await page.$eval(`[id="h:${hosts[1]}"] b`, (el) => el.textContent);
    expect(text).to.equal('■ DOWN');
    // The next cycle's event puts the row in place again with availability that counts the outage.
    await page.waitForFunction(
      `/^24h (\\d+\\.\\d\\d)% 7d \\1% 30d \\1%$/.test(document.querySelector('[id="h:${hosts[1]}"] em')?.textContent ?? '')`,
      { timeout: (INTERVAL_S + 1) * 2000 + 5000, polling: 100 },
    );
    expect(await page.evaluate('window.pwMark')).to.equal(1);
    expect(await page.$eval('#ov', (el) => el.textContent)).to.match(/^1 of 4 down/);

    const png = PNG.sync.read(Buffer.from(await page.screenshot({ type: 'png' })));
    expect(countColour(png, DOWN_RGB), 'DOWN-coloured pixels').to.be.greaterThan(50);
    expect(external).to.deep.equal([]);
    await page.close();
    await lab!.addHost(hosts[1]!);
  });

  it('has no horizontal scroll at 375 px; dark mode by prefers-color-scheme', async () => {
    const page = await browser!.newPage();
    await page.setViewport({ width: 375, height: 800 });
    await page.goto(`${base}/?token=${TOKEN}`, { waitUntil: 'load' });
    const widths = (await page.evaluate(
      '[document.documentElement.scrollWidth, window.innerWidth]',
    )) as number[];
    expect(widths[0]).to.be.at.most(widths[1]!);
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).to.equal('rgb(17, 24, 39)');
    await page.close();
  });

  it('host page: uPlot chart from the quality series the daemon wrote', async () => {
    const page = await browser!.newPage();
    await page.goto(`${base}/host/${hosts[0]}?token=${TOKEN}`, { waitUntil: 'load' });
    await page.waitForFunction('window.pwChart !== undefined', { timeout: 10_000, polling: 50 });
    const chart = (await page.evaluate(
      '({ series: window.pwChart.series.length, points: window.pwChart.data[0].length, median: window.pwChart.data[1] })',
    )) as { series: number; points: number; median: (number | null)[] };
    expect(chart.series).to.equal(5);
    expect(chart.points).to.be.greaterThan(0);
    // Lab RTTs are hundredths of a millisecond: the median may well round to 0.
    expect(chart.median.every((ms) => ms !== null && ms >= 0 && ms < 50)).to.equal(true);
    expect(await page.$eval('h2:last-of-type', (el) => el.textContent)).to.equal(
      'Latency and loss (last 24 h, quality series)',
    );
    await page.close();
  });

  it('JSON API and badges against the daemon', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const status = (await (await fetch(`${base}/api/v1/status`, { headers: auth })).json()) as {
      hosts: { host: string; status: string; description: string }[];
      sensors: { host: string }[];
    };
    expect(status.hosts.map((h) => h.host).sort()).to.deep.equal([...hosts].sort());
    expect(status.sensors.map((s) => s.host)).to.deep.equal(['sensor:nas']);
    const host = (await (
      await fetch(`${base}/api/v1/hosts/${hosts[0]}?since=1d`, { headers: auth })
    ).json()) as {
      availability_percent: number | null;
      status: string;
    };
    expect(host.status).to.equal('UP');
    expect(host.availability_percent).to.equal(100);
    const badge = await fetch(`${base}/badge/${hosts[0]}.svg`, { headers: auth });
    expect(badge.headers.get('content-type')).to.equal('image/svg+xml');
    expect(await badge.text()).to.include('>UP</text>');
  });

  it('push heartbeats with curl from a lab namespace: wrong key 403, right key makes the sensor UP', async () => {
    const url = `http://${lab!.monitorAddress}:${new URL(base).port}/push/nas`;
    const curl = (key: string) =>
      run('ip', [
        'netns',
        'exec',
        lab!.namespace,
        'curl',
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        `${url}?key=${key}`,
      ]).then((r) => r.stdout);
    expect(await curl('wrong-key-0123456789')).to.equal('403');
    expect(await curl(PUSH_KEY)).to.equal('200');
    await waitFor(
      async () => {
        const body = (await (
          await fetch(`${base}/api/v1/status`, { headers: { Authorization: `Bearer ${TOKEN}` } })
        ).json()) as { sensors: { host: string; status: string }[] };
        return body.sensors[0]?.status === 'UP';
      },
      'the pushed sensor UP',
      15_000,
      100,
    );
    const metrics = await (
      await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })
    ).text();
    expect(metrics).to.include('pingwarden_push_heartbeats_total{sensor="nas",result="accepted"} 1');
    expect(metrics).to.include('pingwarden_push_heartbeats_total{sensor="nas",result="bad_key"} 1');
    expect(metrics).to.match(/^pingwarden_push_last_seen_timestamp_seconds\{sensor="nas"\} \d+(\.\d+)?$/m);
  });

  it('after a restart the rows still count the outage before it (the history is read once)', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const availabilityOf = async (host: string) => {
      const body = (await (await fetch(`${base}/api/v1/status`, { headers: auth })).json()) as {
        hosts: { host: string; availability: Record<string, number | null> | null }[];
      };
      return body.hosts.find((h) => h.host === host)?.availability ?? null;
    };
    // The host taken down in the first test is back; its 24 h share is below 100 %.
    const before = await availabilityOf(hosts[1]!);
    expect(before?.['24h']).to.be.below(100);
    await daemon!.stop('SIGTERM');
    daemon = new CliProcess(['start', '--config', site!.configDir, '--logs', site!.logsDir]);
    await daemon.waitForOutput(/cycle hosts=4/, 30_000);
    let after: Record<string, number | null> | null = null;
    await waitFor(
      async () => {
        after = await availabilityOf(hosts[1]!).catch(() => null);
        // Below 100 % once the history read at the first cycle is in (a cycle or two after start).
        return typeof after?.['24h'] === 'number' && after['24h'] < 100;
      },
      'availability after the restart',
      15_000,
      100,
    );
    expect(after!['24h']).to.be.below(100);
    expect(after!['24h']).to.be.closeTo(before!['24h']!, 10);
    // A host that never went down stays at 100 %.
    expect((await availabilityOf(hosts[0]!))?.['24h']).to.equal(100);
  });
});
