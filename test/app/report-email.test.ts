import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import type { Config } from '../../lib/config/types.js';
import type { CycleReport } from '../../lib/monitor/monitor-loop.js';
import {
  lastFinishedPeriod,
  REPORT_SCHEDULE_FILE,
  reportEmail,
  ReportScheduler,
  type ReportPeriod,
} from '../../lib/app/report-email.js';
import type { Report } from '../../lib/report/report-model.js';
import { fixtureReport } from '../report/report-fixture.js';
import { FakeLog } from '../fakes/fake-log.js';

const iso = (period: ReportPeriod) => [period.since.toISOString(), period.until.toISOString()];

describe('app/report-email: scheduled and on-demand report emails', () => {
  it('the last finished ISO week and calendar month, in UTC', () => {
    // Wednesday 2026-11-25: the week before is Monday 16 to Monday 23.
    expect(iso(lastFinishedPeriod('weekly', new Date('2026-11-25T15:00:00Z')))).to.deep.equal([
      '2026-11-16T00:00:00.000Z',
      '2026-11-23T00:00:00.000Z',
    ]);
    // On a Monday at midnight the week that just ended is the one reported.
    expect(iso(lastFinishedPeriod('weekly', new Date('2026-11-23T00:00:00Z')))).to.deep.equal([
      '2026-11-16T00:00:00.000Z',
      '2026-11-23T00:00:00.000Z',
    ]);
    // A Sunday still belongs to the week that began six days before.
    expect(iso(lastFinishedPeriod('weekly', new Date('2026-11-29T23:59:59Z')))[1]).to.equal(
      '2026-11-23T00:00:00.000Z',
    );
    expect(iso(lastFinishedPeriod('monthly', new Date('2027-01-10T08:00:00Z')))).to.deep.equal([
      '2026-12-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
  });

  it('puts the summary table in the body and the HTML report in an attachment', async () => {
    const mail = reportEmail(await fixtureReport());
    expect(mail.subject).to.equal(
      '[pingwarden] Report 2026-11-01 to 2026-11-02: 3 outages, lowest availability 77.500%',
    );
    expect(mail.text).to.include('availability');
    expect(mail.text).to.include('77.500%');
    expect(mail.attachment.filename).to.equal('pingwarden-report-2026-11-01--2026-11-02.html');
    expect(mail.attachment.content).to.match(/^<!DOCTYPE html>/);
  });

  describe('ReportScheduler', () => {
    let logsDir = '';
    beforeEach(async () => {
      logsDir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-schedule-'));
    });
    afterEach(() => rm(logsDir, { recursive: true, force: true }));

    const smtp = { host: '127.0.0.1', port: 25, recipients: ['ops@example.test'] } as unknown as NonNullable<
      Config['smtp']
    >;
    const cycleAt = (at: string, schedule: 'off' | 'weekly' | 'monthly' = 'monthly') =>
      ({
        at: new Date(at),
        config: { smtp, settings: { reportSchedule: schedule } },
      }) as unknown as CycleReport;

    function scheduler(sent: ReportPeriod[], fail = { count: 0 }) {
      return new ReportScheduler({
        logsDir,
        log: new FakeLog(),
        build: (period) => Promise.resolve({ since: period.since, until: period.until } as unknown as Report),
        send: (report) => {
          if (fail.count > 0) {
            fail.count--;
            return Promise.reject(new Error('SMTP down'));
          }
          sent.push({ since: report.since, until: report.until });
          return Promise.resolve();
        },
      });
    }

    it('sends nothing when switched on, then each finished month once, across restarts; retries a failed send', async () => {
      const sent: ReportPeriod[] = [];
      const first = scheduler(sent);
      await first.cycleFinished(cycleAt('2026-11-20T10:00:00Z'));
      expect(sent, 'switched on mid-month: October is nobody asked for').to.deep.equal([]);
      await first.cycleFinished(cycleAt('2026-11-30T23:59:00Z'));
      expect(sent).to.deep.equal([]);

      // December's first cycle: November is done. The SMTP server is down once.
      const fail = { count: 1 };
      const second = scheduler(sent, fail);
      await second.cycleFinished(cycleAt('2026-12-01T00:01:00Z'));
      expect(sent).to.deep.equal([]);
      await second.cycleFinished(cycleAt('2026-12-01T00:01:30Z'));
      expect(sent, 'not retried within the minute').to.deep.equal([]);
      await second.cycleFinished(cycleAt('2026-12-01T00:02:30Z'));
      expect(sent.map(iso)).to.deep.equal([['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']]);
      await second.cycleFinished(cycleAt('2026-12-01T00:10:00Z'));

      // A restart in December sends November again never.
      const third = scheduler(sent);
      await third.cycleFinished(cycleAt('2026-12-15T00:00:00Z'));
      expect(sent).to.have.length(1);
      const marker = JSON.parse(await readFile(path.join(logsDir, REPORT_SCHEDULE_FILE), 'utf8')) as unknown;
      expect(marker).to.deep.equal({ v: 1, sent_until: '2026-12-01T00:00:00.000Z' });

      // Off: nothing at all.
      await third.cycleFinished(cycleAt('2027-01-02T00:00:00Z', 'off'));
      expect(sent).to.have.length(1);
    });
  });
});
