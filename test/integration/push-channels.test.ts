import { expect } from 'chai';

import { CliProcess } from '../support/cli-process.js';
import { tempSite, type TempSite } from '../support/config-dir.js';
import { HttpTestServer } from '../support/http-test-server.js';
import { createLab, requireLab, type NetnsLab } from '../support/netns-lab.js';
import { waitFor } from '../support/wait-for.js';

describe('integration: phone push channels and the webhook template from the daemon (lab, local receiver)', function () {
  this.timeout(90_000);
  let lab: NetnsLab | undefined;
  let server: HttpTestServer | undefined;
  let site: TempSite | undefined;
  let daemon: CliProcess | undefined;

  before(async function () {
    await requireLab(this);
    lab = await createLab();
  });
  after(async () => {
    await daemon?.stop('SIGKILL');
    await server?.stop();
    await site?.remove();
    await lab?.destroy();
  });

  it('a lab host goes down: ntfy, Telegram, Slack, Gotify, Pushover, Teams, Matrix and the templated webhook each get one DOWN of their documented shape', async () => {
    const target = lab!.host(20);
    await lab!.addHost(target);
    server = await HttpTestServer.start(
      Array.from({ length: 8 }, () => ({ status: 200, body: '{"ok":true}' })),
    );
    site = await tempSite({
      'hosts.csv': `${target},Cisco Router,Bldg 6 MDF 101\n`,
      'webhook-template.hbs':
        '{"title": {{json title}}, "urgent": {{json urgent}}, "host": {{json events.0.host}} }',
      'settings.csv': [
        'interval_seconds,1',
        'attempts,1',
        'timeout_seconds,1',
        'realert_seconds,0',
        `ntfy_url,${server.url('/ntfy/alerts')}`,
        `telegram_api_url,${server.url('/tg')}`,
        'telegram_bot_token,123456:abcdefghijklmnopqrstu',
        'telegram_chat_id,-10042',
        `slack_webhook,${server.url('/slack/T/B/X')}`,
        `gotify_url,${server.url('/gotify')}`,
        'gotify_token,gtok0123456',
        `pushover_api_url,${server.url('/po')}`,
        'pushover_app_token,ptok0123456789abcdefghij',
        'pushover_user_key,pusr0123456789abcdefghij',
        `webhook_url,${server.url('/hook')}`,
        `teams_webhook,${server.url('/teams/workflows/x')}`,
        `matrix_homeserver,${server.url('/mx')}`,
        'matrix_room_id,!room42:example.org',
        'matrix_access_token,syt_matrix0123',
      ].join('\n'),
    });
    daemon = new CliProcess(['start', '--config', site.configDir, '--logs', site.logsDir]);
    await daemon.waitForOutput(/cycle hosts=1 up=1 down=0/);
    await lab!.removeHost(target);
    await waitFor(() => server!.requests.length >= 8, 'eight channel requests', 30_000);
    const byPath = new Map(server.requests.map((r) => [r.path.split('/')[1], r]));
    expect([...byPath.keys()].sort()).to.deep.equal([
      'gotify',
      'hook',
      'mx',
      'ntfy',
      'po',
      'slack',
      'teams',
      'tg',
    ]);
    const title = `DOWN Cisco Router (${target})`;

    const ntfy = byPath.get('ntfy')!;
    expect(ntfy.path).to.equal('/ntfy/alerts');
    expect(ntfy.headers).to.include({ title, priority: 'high' });

    const telegram = byPath.get('tg')!;
    expect(telegram.path).to.equal('/tg/bot123456:abcdefghijklmnopqrstu/sendMessage');
    const message = JSON.parse(telegram.body) as {
      chat_id: string;
      text: string;
      disable_notification: boolean;
    };
    expect(message).to.include({ chat_id: '-10042', disable_notification: false });
    expect(message.text.startsWith(`${title}\n\n`)).to.equal(true);

    expect(
      (JSON.parse(byPath.get('slack')!.body) as { text: string }).text.startsWith(`*${title}*\n`),
    ).to.equal(true);

    const gotify = byPath.get('gotify')!;
    expect(gotify.path).to.equal('/gotify/message');
    expect(gotify.headers['x-gotify-key']).to.equal('gtok0123456');
    expect(JSON.parse(gotify.body)).to.include({ title, priority: 8 });

    const pushover = byPath.get('po')!;
    const form = pushover.headers['content-type']?.includes('json')
      ? (JSON.parse(pushover.body) as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(pushover.body));
    expect(form).to.deep.include({
      token: 'ptok0123456789abcdefghij',
      user: 'pusr0123456789abcdefghij',
      title,
    });
    expect(String(form.priority)).to.equal('1');

    const teams = JSON.parse(byPath.get('teams')!.body) as {
      attachments: { contentType: string; content: { body: { text: string }[] } }[];
    };
    expect(teams.attachments[0]!.contentType).to.equal('application/vnd.microsoft.card.adaptive');
    expect(teams.attachments[0]!.content.body[0]!.text).to.equal(title);

    const matrix = byPath.get('mx')!;
    expect(matrix.method).to.equal('PUT');
    expect(matrix.path).to.match(
      /^\/mx\/_matrix\/client\/v3\/rooms\/!room42%3Aexample\.org\/send\/m\.room\.message\/pingwarden-[\w.-]+$/,
    );
    expect(matrix.headers.authorization).to.equal('Bearer syt_matrix0123');
    expect((JSON.parse(matrix.body) as { body: string }).body.startsWith(`${title}\n`)).to.equal(true);

    const hook = byPath.get('hook')!;
    expect(hook.headers['content-type']).to.equal('application/json');
    expect(JSON.parse(hook.body)).to.deep.equal({ title, urgent: true, host: target });

    expect(daemon.output, 'no token in the log').not.to.match(/ptok|pusr|gtok|abcdefghijklmnopqrstu/);
  });
});
