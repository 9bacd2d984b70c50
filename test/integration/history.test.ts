import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { expect } from 'chai';

import { main } from '../../lib/cli/main.js';
import { CliProcess, runCli } from '../support/cli-process.js';
import { smtpFiles, tempSite, type TempSite } from '../support/config-dir.js';
import { createLab, requireLab, type NetnsLab } from '../support/netns-lab.js';
import { SmtpTestServer } from '../support/smtp-test-server.js';
import { waitFor } from '../support/wait-for.js';
import { writeFixture } from '../report/report-fixture.js';

const user = 'alerts@example.test';
const password = 'history-test-password';

const dirs = (site: TempSite) => ['--config', site.configDir, '--logs', site.logsDir];

interface JsonReport {
  hosts: {
    host: string;
    description: string;
    location: string;
    down_seconds: number;
    unknown_seconds: number;
    outages: { start: string; end: string | null; duration_seconds: number }[];
  }[];
}

describe('integration: outage history, restart resume and report', function () {
  this.timeout(90_000);

  describe('a daemon killed with SIGKILL during an outage, in the network lab', () => {
    let lab: NetnsLab | undefined;
    let smtp: SmtpTestServer | undefined;
    let site: TempSite | undefined;
    const daemons: CliProcess[] = [];

    before(async function () {
      await requireLab(this);
      lab = await createLab();
    });
    after(async () => {
      for (const daemon of daemons) await daemon.stop('SIGKILL');
      await smtp?.stop();
      await lab?.destroy();
      await site?.remove();
    });

    it('resumes the open outage: exactly one DOWN email and one RESTORED email with the full duration', async () => {
      const target = lab!.host(5);
      await lab!.addHost(target);
      smtp = await SmtpTestServer.start({ user, password });
      site = await tempSite({
        'hosts.csv': `127.0.0.1,Loopback,Admin box\n${target},Modem,Hall\n`,
        'settings.csv': 'interval_seconds,2\nattempts,1\ntimeout_seconds,1\nsmtp_allow_self_signed,yes\n',
        ...smtpFiles(smtp.port, user, password, ['ops@example.test']),
      });
      const start = () => {
        const daemon = new CliProcess(['start', '--config', site!.configDir, '--logs', site!.logsDir]);
        daemons.push(daemon);
        return daemon;
      };

      const first = start();
      await first.waitForOutput(/cycle hosts=2 up=2 down=0/);
      await lab!.removeHost(target);
      const [down] = await smtp.waitForMessages(1, 20_000);
      expect(down!.parsed.subject).to.equal(`[pingwarden] DOWN Modem (${target}) — Hall`);
      // Killed only once the outbox has marked the DOWN email sent: this test is about resuming the outage;
      // a kill between sending and marking sent is the outbox test's business (a resend, same Message-ID).
      const outbox = path.join(site.logsDir, 'outbox', 'email');
      await waitFor(async () => (await readdir(outbox).catch(() => [])).length === 0, 'the outbox to drain');
      await first.stop('SIGKILL');

      const second = start();
      // Two full cycles with the host still down after the restart: no second DOWN email.
      await waitFor(
        () => (second.output.match(/cycle hosts=2 up=1 down=1/g) ?? []).length >= 2,
        'two cycles',
        20_000,
      );
      expect(second.output).not.to.include('alert kind=DOWN');
      await lab!.addHost(target);
      await waitFor(
        () => smtp!.messages.some((m) => m.parsed.subject?.includes('RESTORED')),
        'the RESTORED email',
        20_000,
      );
      expect(await second.stop('SIGTERM')).to.equal(0);

      const subjects = smtp.messages.map((m) => m.parsed.subject ?? '');
      expect(subjects.map((s) => s.split(' ')[1])).to.deep.equal(['DOWN', 'RESTORED']);
      const restored = smtp.messages[1]!;
      const seconds = Number(/after (\d+)s$/.exec(restored.parsed.subject ?? '')?.[1]);
      const since = /Down since \(UTC\): +(\S+)/.exec(down!.parsed.text ?? '')?.[1];
      const whole = (restored.receivedAt - Date.parse(since!)) / 1000;
      expect(seconds, 'RESTORED counts from the first DOWN, across the restart').to.be.within(
        whole - 5,
        whole + 1,
      );

      // The history tells the same story, with the kill as unknown time.
      const history = await runCli(['report', '--format', 'json', '--host', target, ...dirs(site)]);
      expect(history.code, history.output()).to.equal(0);
      const [host] = (JSON.parse(history.stdout) as JsonReport).hosts;
      expect([host!.description, host!.location], 'labels from hosts.csv').to.deep.equal(['Modem', 'Hall']);
      expect(host!.outages).to.have.length(1);
      expect(Math.floor(Date.parse(host!.outages[0]!.start) / 1000) * 1000, 'the outage start').to.equal(
        Date.parse(since!),
      );
      expect(host!.outages[0]!.duration_seconds).to.be.within(seconds - 1, seconds + 3);
      expect(host!.unknown_seconds, 'the time the monitor was dead').to.be.greaterThan(0);
      const month = new Date().toISOString().slice(0, 7);
      const lines = (await readFile(path.join(site.logsDir, 'history', `history-${month}.jsonl`), 'utf8'))
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { kind: string }).kind);
      expect(lines.filter((kind) => kind === 'start')).to.have.length(2);
      expect(
        lines.filter((kind) => kind === 'stop'),
        'only the clean stop',
      ).to.have.length(1);
    });

    it('a child UNREACHABLE behind its down parent stays quiet across a restart: no REMINDER, no RESTORED for it', async () => {
      const parent = lab!.host(20);
      const child = lab!.host(21);
      for (const host of [parent, child]) await lab!.addHost(host);
      const mail = await SmtpTestServer.start({ user, password });
      const childSite = await tempSite({
        'hosts.csv': `127.0.0.1,Loopback,Admin box\n${parent},Core switch,MDF\n${child},Lab AP,Floor 2,parent:${parent}\n`,
        // Reminders every 3 s: a child resumed as DOWN without an alert time would remind at once.
        'settings.csv':
          'interval_seconds,1\nattempts,1\ntimeout_seconds,1\nrealert_seconds,3\nsmtp_allow_self_signed,yes\n',
        ...smtpFiles(mail.port, user, password, ['ops@example.test']),
      });
      try {
        const start = () => {
          const daemon = new CliProcess(['start', ...dirs(childSite)]);
          daemons.push(daemon);
          return daemon;
        };
        const first = start();
        await first.waitForOutput(/cycle hosts=3 up=3 down=0/);
        // The parent first: the child must never be seen failing while its parent answers.
        await lab!.removeHost(parent);
        await lab!.removeHost(child);
        const [down] = await mail.waitForMessages(1, 20_000);
        expect(down!.parsed.subject).to.equal(`[pingwarden] DOWN Core switch (${parent}) — MDF`);
        await first.waitForOutput(/cycle hosts=3 up=1 down=1 unknown=0 unreachable=1/);
        const outbox = path.join(childSite.logsDir, 'outbox', 'email');
        await waitFor(
          async () => (await readdir(outbox).catch(() => [])).length === 0,
          'the outbox to drain',
        );
        await first.stop('SIGKILL');

        const second = start();
        // Past one reminder period after the restart, the child is still UNREACHABLE behind its parent.
        await waitFor(
          () => (second.output.match(/ cycle hosts=3 /g) ?? []).length >= 5,
          'five cycles after the restart',
          30_000,
        );
        const cycleLines = second.output.match(/ cycle hosts=3 .*/g) ?? [];
        expect(cycleLines.at(-1), 'the child resumed as UNREACHABLE').to.match(
          /up=1 down=1 unknown=0 unreachable=1/,
        );
        await lab!.addHost(parent);
        await lab!.addHost(child);
        await waitFor(
          () => mail.messages.some((m) => m.parsed.subject?.includes('RESTORED')),
          'the RESTORED email',
          20_000,
        );
        const allUp = /cycle hosts=3 up=3 down=0/g;
        const upBefore = (second.output.match(allUp) ?? []).length;
        await waitFor(
          () => (second.output.match(allUp) ?? []).length >= upBefore + 3,
          'three all-up cycles',
          20_000,
        );
        await waitFor(
          async () => (await readdir(outbox).catch(() => [])).length === 0,
          'the outbox to drain',
        );
        expect(await second.stop('SIGTERM')).to.equal(0);

        const subjects = mail.messages.map((m) => m.parsed.subject ?? '');
        // Every message is the parent's own (a digest with the child's alert would have another subject).
        for (const subject of subjects) {
          expect(subject, subjects.join('; ')).to.match(
            /^\[pingwarden\] (DOWN|REMINDER|RESTORED) Core switch /,
          );
        }
        expect(
          subjects.filter((subject) => subject.includes('RESTORED')),
          subjects.join('; '),
        ).to.have.length(1);
        expect(second.output, 'no alert of the child').not.to.match(
          new RegExp(`alert kind=\\w+ host=${child.replace(/\./g, '\\.')}\\b`),
        );
      } finally {
        await mail.stop();
        await childSite.remove();
      }
    });
  });

  describe('pingwarden report', () => {
    let fixture: Awaited<ReturnType<typeof writeFixture>> | undefined;
    before(async () => {
      fixture = await writeFixture();
    });
    after(async () => fixture?.remove());

    async function report(...args: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(['node', 'pingwarden', 'report', '--logs', fixture!.logsDir, ...args], {
        out: (text) => out.push(text),
        err: (text) => err.push(text),
      });
      return { code, out: out.join('\n'), err: err.join('\n') };
    }

    for (const format of ['table', 'csv', 'json', 'md', 'html']) {
      it(`prints --format ${format}`, async () => {
        const { code, out, err } = await report(
          '--since',
          '2026-11-01',
          '--until',
          '2026-11-02',
          '--format',
          format,
        );
        expect([code, err]).to.deep.equal([0, '']);
        expect(out).to.include(
          format === 'json' || format === 'csv'
            ? '2026-11-01T05:00:00.000Z'
            : '2026-11-01 05:00:00 ±2h 0m 0s',
        );
      });
    }

    it('writes the report to --out and prints nothing', async () => {
      const file = path.join(fixture!.logsDir, 'report.html');
      const { code, out } = await report('--format', 'html', '--host', 'b', '--out', file);
      expect([code, out]).to.deep.equal([0, '']);
      expect(await readFile(file, 'utf8')).to.match(/^<!DOCTYPE html>[\s\S]*<h3>b /);
    });

    it('says so when there is no history yet', async () => {
      const empty = path.join(fixture!.logsDir, 'empty-logs');
      const err: string[] = [];
      const code = await main(['node', 'pingwarden', 'report', '--logs', empty], {
        out: () => {},
        err: (text) => err.push(text),
      });
      expect([code, err]).to.deep.equal([
        0,
        [
          `warning: no outage history in ${path.join(empty, 'history')} yet (the monitor writes it while it runs)`,
        ],
      ]);
    });

    it('takes --host more than once', async () => {
      const { out } = await report('--format', 'json', '--host', 'a', '--host', 'c');
      expect((JSON.parse(out) as JsonReport).hosts.map((h) => h.host)).to.deep.equal(['a', 'c']);
    });

    const mistakes: [string[], string][] = [
      [['--format', 'svg'], 'pingwarden: --format "svg": expected one of table, csv, json, md, html, pdf'],
      [
        ['--since', 'last week'],
        'pingwarden: --since "last week": expected a date (2026-11-01), a date and time (2026-11-01T08:00:00Z) or an age (1y, 2w, 30d, 12h, 90m)',
      ],
      [
        ['--since', '2026-11-02', '--until', '2026-11-01'],
        'pingwarden: --since 2026-11-02T00:00:00.000Z is after the end of the report (2026-11-01T00:00:00.000Z)',
      ],
    ];
    for (const [args, message] of mistakes) {
      it(`refuses ${args.join(' ')} with exit 2 and a plain message`, async () => {
        expect(await report(...args)).to.deep.equal({ code: 2, out: '', err: message });
      });
    }

    it('warns about a damaged history line on stderr and still reports', async () => {
      const damaged = await tempSite({});
      try {
        const dir = path.join(damaged.logsDir, 'history');
        await import('node:fs/promises').then(async (fs) => {
          await fs.mkdir(dir, { recursive: true });
          await fs.writeFile(
            path.join(dir, 'history-2026-11.jsonl'),
            '{"v":1,"kind":"start","at":"2026-11-01T00:00:00Z","mode":"daemon","interval_s":60,"alive_s":300,"hosts":1,"pid":1}\n{"v":1,"kind":"sta',
          );
        });
        const { code, stdout, stderr } = await runCli(['report', '--logs', damaged.logsDir]);
        expect(code).to.equal(0);
        expect(stderr.trim()).to.equal(
          `warning: history: skipped a torn last line (a write cut short) file=${path.join(dir, 'history-2026-11.jsonl')} line=2`,
        );
        expect(stdout).to.include('No outages.');
      } finally {
        await damaged.remove();
      }
    });
  });
});
