import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { configFingerprint, loadConfig } from '../../../../lib/config/load-config.js';
import { WebhookNotifier } from '../../../../lib/notify/channels/webhook/webhook-notifier.js';
import { ConfigErrors } from '../../../../lib/shared/errors.js';
import { checkWebhookTemplate } from '../../../../lib/config/webhook-template.js';
import { alertFixtures } from '../../../fakes/alert-fixtures.js';
import { channelOutbox } from '../../../fakes/channel-outbox.js';
import { HttpTestServer } from '../../../support/http-test-server.js';
import { waitFor } from '../../../support/wait-for.js';

const router = { host: '10.1.1.254', description: 'Cisco Router', location: 'Bldg 6 MDF 101' };
const ap = { host: '10.1.7.3', description: 'Zugangspunkt Küche', location: 'Bldg 7' };
const { t0, alert, batchOf } = alertFixtures(router);

/** ntfy's JSON publishing body: a receiver that needs no relay. */
const NTFY_JSON = `{
  "topic": "alerts",
  "title": {{json title}},
  "message": {{json message}},
  "priority": {{#if (eq priority "high")}}4{{else}}3{{/if}},
  "hosts": [{{#each events}}{{json host}}{{#unless @last}}, {{/unless}}{{/each}}]
}`;

describe('notify: webhook body template (Handlebars)', function () {
  this.timeout(20_000);
  let server: HttpTestServer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders JSON for a receiver that needs no relay, and anything else as text/plain', async () => {
    server = await HttpTestServer.start();
    let template = NTFY_JSON;
    const webhook = new WebhookNotifier({
      url: () => server!.url('/'),
      header: () => 'Authorization: Bearer abc',
      template: () => template,
    });
    const { outbox, log } = channelOutbox(webhook, t0);
    outbox.start();
    await outbox.sendBatch(batchOf(alert('DOWN'), alert('RESTORED', 60_000, { target: ap })));
    await waitFor(() => log.matching('INFO outbox sent').length === 1, 'JSON delivery', 10_000);
    template = '{{#each events}}{{kind}} {{description}} <{{host}}>\n{{/each}}';
    await outbox.sendBatch(batchOf(alert('DOWN', 0, { target: ap })));
    await waitFor(() => log.matching('INFO outbox sent').length === 2, 'text delivery', 10_000);
    await outbox.stop();
    const [json, text] = server.requests;
    expect(json!.headers['content-type']).to.equal('application/json');
    expect(json!.headers.authorization).to.equal('Bearer abc');
    expect(json!.headers['idempotency-key']).to.be.a('string').and.not.equal('');
    const body = JSON.parse(json!.body) as Record<string, unknown>;
    expect(body).to.deep.include({ topic: 'alerts', priority: 4, hosts: ['10.1.1.254', '10.1.7.3'] });
    expect(body.title).to.equal('2 events: 1 DOWN, 1 UP');
    expect(body.message).to.be.a('string').and.include('DOWN Cisco Router (10.1.1.254)');
    expect(text!.headers['content-type']).to.equal('text/plain; charset=utf-8');
    // Not HTML-escaped: a body is JSON or text, never a page.
    expect(text!.body).to.equal('DOWN Zugangspunkt Küche <10.1.7.3>\n');
  });

  it('a syntax error is a config error naming the file and line; edits change the fingerprint', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pw-template-'));
    await writeFile(path.join(dir, 'hosts.csv'), '127.0.0.1,loopback,lab\n');
    const file = path.join(dir, 'webhook-template.hbs');
    await writeFile(file, '{\n  "title": {{json title}},\n  "x": {{#each events}}\n}\n');
    const error = await loadConfig(dir, { displayDir: 'config' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ConfigErrors);
    const [problem] = (error as ConfigErrors).problems;
    expect(problem!.message).to.match(/^config\/webhook-template\.hbs:\d+: webhook template: /);
    expect(problem!.line).to.be.greaterThan(0);

    const before = await configFingerprint(dir);
    await writeFile(file, '{"m": {{json message}} }');
    expect(await configFingerprint(dir), 'the watcher sees the template').not.to.equal(before);
    const config = await loadConfig(dir, { displayDir: 'config' });
    expect(config.webhookTemplateText).to.equal('{"m": {{json message}} }');

    await rm(file);
    expect((await loadConfig(dir, { displayDir: 'config' })).webhookTemplateText).to.equal(undefined);
  });

  it('an unknown helper, a partial and a "}}}" slip are config errors with their line, not failed deliveries', () => {
    const file = 'config/webhook-template.hbs';
    expect(
      checkWebhookTemplate('{\n  "a": {{json title}},\n  "b": {{jsn message}}\n}', file)?.message,
    ).to.equal(
      'config/webhook-template.hbs:3: webhook template: unknown helper "jsn" (available: if, unless, each, with, lookup, log, json, eq)',
    );
    expect(
      checkWebhookTemplate('{{#each events}}\n{{#if (equals kind "DOWN")}}x{{/if}}{{/each}}', file)?.message,
    ).to.match(/^config\/webhook-template\.hbs:2: webhook template: unknown helper "equals"/);
    expect(checkWebhookTemplate('x\n{{> footer}}', file)?.message).to.match(
      /^config\/webhook-template\.hbs:2: webhook template: partials/,
    );
    expect(checkWebhookTemplate('{"text": {{json message}}}', file)?.message).to.include(
      'put a space in "}} }"',
    );
    // Field lookups, sections over fields and the known helpers are fine.
    expect(checkWebhookTemplate(NTFY_JSON, file)).to.equal(null);
    expect(
      checkWebhookTemplate('{{#events}}{{kind}} {{lookup . "host"}}{{/events}}{{titel}}', file),
    ).to.equal(null);
  });
});
