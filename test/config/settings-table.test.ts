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
      ['history_alive_seconds', 300, 'an integer from 10 to 86400'],
      ['heartbeat_port', 0, 'an integer from 0 to 65535'],
      ['heartbeat_listen', '127.0.0.1', 'an IPv4 or IPv6 address (0.0.0.0 or :: for every interface)'],
      ['heartbeat_max_skew_seconds', 60, 'an integer from 5 to 3600'],
      ['cycle_off_seconds', 30, 'an integer from 1 to 3600'],
      ['cycle_boot_wait_seconds', 300, 'an integer from 1 to 86400'],
      ['cycle_poll_seconds', 5, 'an integer from 1 to 600'],
      ['cycle_max_per_outage', 2, 'an integer from 1 to 100'],
      ['cycle_min_gap_seconds', 900, 'an integer from 0 to 604800'],
      ['cycle_announce', false, 'true/false, yes/no or 1/0'],
      [
        'indicator_lamp',
        '',
        'a plug name (kasa.csv name, Kasa alias or IPv4 address) of at most 64 characters, or empty',
      ],
      ['kasa_discovery_broadcast', '255.255.255.255', 'an IPv4 address'],
      ['kasa_discovery_hosts', '', 'IPv4 addresses separated by spaces, or empty'],
      ['kasa_discovery_seconds', 10, 'an integer from 1 to 300'],
      ['kasa_timeout_seconds', 5, 'an integer from 1 to 60'],
      ['kasa_attempts', 3, 'an integer from 1 to 10'],
      ['outbox_retry_max_seconds', 60, 'an integer from 1 to 3600'],
      ['outbox_expire_hours', 48, 'an integer from 1 to 8760'],
      ['discord_webhook', '', 'an http:// or https:// URL, or empty'],
      ['webhook_url', '', 'an http:// or https:// URL, or empty'],
      ['webhook_header', '', 'a header line "Name: value", or empty'],
      ['pinger', 'auto', 'one of ping, fping, auto'],
      ['fping_threshold', 50, 'an integer from 0 to 1000000'],
      ['fping_interval_ms', 1, 'an integer from 1 to 1000'],
      ['http_port', 0, 'an integer from 0 to 65535'],
      ['http_listen', '127.0.0.1', 'an IPv4 or IPv6 address (0.0.0.0 or :: for every interface)'],
      ['http_token', '', 'empty, or 12 to 256 printable characters without spaces, quotes or commas'],
      ['http_max_concurrent_probes', 8, 'an integer from 1 to 256'],
      ['http_max_queued_probes', 256, 'an integer from 0 to 10000'],
      ['http_rate_limit_per_minute', 120, 'an integer from 0 to 100000'],
      ['probe_max_hops', 20, 'an integer from 1 to 64'],
      ['probe_resolve_hop_names', true, 'true/false, yes/no or 1/0'],
      ['probe_traceroute_icmp', false, 'true/false, yes/no or 1/0'],
      ['ipinfo_token', '', 'empty, or 1 to 256 printable characters without spaces, quotes or commas'],
      ['ipinfo_url', 'https://ipinfo.io', 'an http:// or https:// URL'],
      ['ipinfo_timeout_seconds', 3, 'an integer from 1 to 60'],
      ['ipinfo_cache_seconds', 86400, 'an integer from 0 to 2592000'],
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
      historyAliveSeconds: 300,
      heartbeatPort: 0,
      heartbeatListen: '127.0.0.1',
      heartbeatMaxSkewSeconds: 60,
      cycleOffSeconds: 30,
      cycleBootWaitSeconds: 300,
      cyclePollSeconds: 5,
      cycleMaxPerOutage: 2,
      cycleMinGapSeconds: 900,
      cycleAnnounce: false,
      indicatorLamp: '',
      kasaDiscoveryBroadcast: '255.255.255.255',
      kasaDiscoveryHosts: '',
      kasaDiscoverySeconds: 10,
      kasaTimeoutSeconds: 5,
      kasaAttempts: 3,
      outboxRetryMaxSeconds: 60,
      outboxExpireHours: 48,
      discordWebhook: '',
      webhookUrl: '',
      webhookHeader: '',
      pinger: 'auto',
      fpingThreshold: 50,
      fpingIntervalMs: 1,
      httpPort: 0,
      httpListen: '127.0.0.1',
      httpToken: '',
      httpMaxConcurrentProbes: 8,
      httpMaxQueuedProbes: 256,
      httpRateLimitPerMinute: 120,
      probeMaxHops: 20,
      probeResolveHopNames: true,
      probeTracerouteIcmp: false,
      ipinfoToken: '',
      ipinfoUrl: 'https://ipinfo.io',
      ipinfoTimeoutSeconds: 3,
      ipinfoCacheSeconds: 86400,
    });
  });
});
