import { expect } from 'chai';

import { DEFAULT_SETTINGS, SETTING_SPECS, SETTINGS_TABLE } from '../../lib/config/settings-table.js';

describe('SETTINGS_TABLE', () => {
  it('lists every setting with its key, default and allowed values, in doc order', () => {
    expect(SETTING_SPECS.map((s) => [s.key, s.default, s.allowed])).to.deep.equal([
      ['interval_seconds', 300, 'an integer from 1 to 86400'],
      ['attempts', 3, 'an integer from 1 to 20'],
      ['timeout_seconds', 2, 'an integer from 1 to 60'],
      ['realert_seconds', 3600, 'an integer from 0 to 2592000'],
      ['from_address', '', 'an email address, or empty'],
      ['log_retention_days', 30, 'an integer from 1 to 3650'],
      ['log_level', 'info', 'one of error, warn, info, debug'],
      ['max_concurrent_probes', 64, 'an integer from 1 to 1024'],
      ['smtp_allow_self_signed', false, 'true/false, yes/no or 1/0'],
      ['smtp_timeout_seconds', 30, 'an integer from 1 to 600'],
      ['pinger', 'auto', 'one of ping, fping, auto'],
      ['fping_threshold', 50, 'an integer from 0 to 1000000'],
      ['fping_interval_ms', 1, 'an integer from 1 to 1000'],
    ]);
  });

  it('keys each row by the field it fills', () => {
    for (const [field, spec] of Object.entries(SETTINGS_TABLE)) expect(spec.field).to.equal(field);
  });

  it('gives every default a description and passes its own parser', () => {
    for (const spec of SETTING_SPECS) {
      expect(spec.description, spec.key).to.match(/\.$/);
      expect(spec.parse(String(spec.default)), spec.key).to.deep.equal({ ok: true, value: spec.default });
    }
  });

  it('builds DEFAULT_SETTINGS from the table', () => {
    expect(DEFAULT_SETTINGS).to.deep.equal({
      intervalSeconds: 300,
      attempts: 3,
      timeoutSeconds: 2,
      realertSeconds: 3600,
      fromAddress: '',
      logRetentionDays: 30,
      logLevel: 'info',
      maxConcurrentProbes: 64,
      smtpAllowSelfSigned: false,
      smtpTimeoutSeconds: 30,
      pinger: 'auto',
      fpingThreshold: 50,
      fpingIntervalMs: 1,
    });
  });
});
