import { expect } from 'chai';

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import {
  CachingHostsParser,
  hostsParseKey,
  type CachedHostsParse,
} from '../../lib/config/hosts-parse-cache.js';
import { loadConfig } from '../../lib/config/load-config.js';
import { parseHosts } from '../../lib/config/parse-hosts.js';
import { ConfigErrors } from '../../lib/shared/errors.js';
import { HostsCacheFile } from '../../lib/store/hosts-cache-file.js';

const HOSTS = 'host,description,location\n127.0.0.1,Loopback,Here\n127.0.0.2,Second,There,degraded-rtt:90\n';

describe('hosts.csv parse cache', () => {
  describe('hostsParseKey', () => {
    it('changes with the text, the file named in messages and the attempts setting', () => {
      const key = hostsParseKey(HOSTS, 'config/hosts.csv', 3);
      expect(hostsParseKey(HOSTS, 'config/hosts.csv', 3)).to.equal(key);
      expect(hostsParseKey(`${HOSTS}127.0.0.3\n`, 'config/hosts.csv', 3)).not.to.equal(key);
      expect(hostsParseKey(HOSTS, '/etc/pingwarden/hosts.csv', 3)).not.to.equal(key);
      expect(hostsParseKey(HOSTS, 'config/hosts.csv', 4)).not.to.equal(key);
    });
  });

  describe('CachingHostsParser', () => {
    it('answers from the entry whose key matches, without parsing', () => {
      // Targets no parse of HOSTS would give: only the cache can have answered.
      const marker: CachedHostsParse = {
        key: hostsParseKey(HOSTS, 'hosts.csv', 3),
        targets: [{ ...parseHosts(HOSTS, 'hosts.csv').targets[0]!, id: 'from-the-cache' }],
        warnings: ['a cached warning'],
      };
      const parser = new CachingHostsParser(marker);
      const parsed = parser.parse(HOSTS, 'hosts.csv', { attempts: 3 });
      expect(parsed.targets.map((t) => t.id)).to.deep.equal(['from-the-cache']);
      expect(parsed.warnings).to.deep.equal(['a cached warning']);
      expect(parsed.errors).to.deep.equal([]);
      expect(parser.fresh).to.equal(null);
    });

    it('parses when the key differs, and offers that parse to keep', () => {
      const stale: CachedHostsParse = {
        key: hostsParseKey(HOSTS, 'hosts.csv', 2),
        targets: [],
        warnings: [],
      };
      const parser = new CachingHostsParser(stale);
      const parsed = parser.parse(HOSTS, 'hosts.csv', { attempts: 3 });
      expect(parsed).to.deep.equal(parseHosts(HOSTS, 'hosts.csv', { attempts: 3 }));
      expect(parser.fresh).to.deep.equal({
        key: hostsParseKey(HOSTS, 'hosts.csv', 3),
        targets: parsed.targets,
        warnings: [],
      });
    });

    it('keeps no parse that has errors', () => {
      const parser = new CachingHostsParser(null);
      const parsed = parser.parse('not an address!,x,y\n', 'hosts.csv', { attempts: 3 });
      expect(parsed.errors).to.have.length(1);
      expect(parser.fresh).to.equal(null);
    });
  });

  it('keeps no parse of a file with a password in a URL: logs/ never holds one', () => {
    const parser = new CachingHostsParser(null);
    const parsed = parser.parse('https://admin:s3cret@nvr.test/,NVR,HQ\n', 'hosts.csv', { attempts: 3 });
    expect(parsed.errors).to.deep.equal([]);
    expect(parsed.targets.map((t) => t.id)).to.deep.equal(['https://admin:***@nvr.test/']);
    expect(parser.fresh).to.equal(null);
    const withUser = new CachingHostsParser(null);
    withUser.parse('https://admin@nvr.test/,NVR,HQ\n', 'hosts.csv', { attempts: 3 });
    expect(withUser.fresh?.targets).to.have.length(1);
  });

  describe('HostsCacheFile and loadConfig', () => {
    let dir: string;
    let configDir: string;
    let cacheFile: string;

    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-hosts-cache-'));
      configDir = path.join(dir, 'config');
      cacheFile = path.join(dir, 'hosts-cache.v8');
      await mkdir(configDir);
      await writeFile(path.join(configDir, 'hosts.csv'), HOSTS);
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    const load = (cache: HostsCacheFile) =>
      loadConfig(configDir, { displayDir: 'config', env: {}, hostsCache: cache });

    it('writes the parse of a valid file, and the next load gives the same configuration from it', async () => {
      const cache = new HostsCacheFile(cacheFile);
      const first = await load(cache);
      const entry = await cache.read();
      expect(entry?.key).to.equal(hostsParseKey(HOSTS, path.join('config', 'hosts.csv'), 3));
      expect(entry?.targets).to.deep.equal(first.targets);
      const second = await load(cache);
      expect(second.targets).to.deep.equal(first.targets);
      expect(second.targets[1]?.degraded).to.deep.equal({ rttMs: 90 });
    });

    it('uses the cached parse while hosts.csv is unchanged, and parses again once it is edited', async () => {
      const cache = new HostsCacheFile(cacheFile);
      await load(cache);
      const entry = (await cache.read())!;
      await cache.write({ ...entry, targets: entry.targets.map((t) => ({ ...t, id: `cached-${t.id}` })) });
      expect((await load(cache)).targets.map((t) => t.id)).to.deep.equal([
        'cached-127.0.0.1',
        'cached-127.0.0.2',
      ]);

      await writeFile(path.join(configDir, 'hosts.csv'), `${HOSTS}127.0.0.3,Third,There\n`);
      expect((await load(cache)).targets.map((t) => t.id)).to.deep.equal([
        '127.0.0.1',
        '127.0.0.2',
        '127.0.0.3',
      ]);
      expect((await cache.read())?.targets).to.have.length(3);
    });

    it('reports the errors of a broken hosts.csv every time and keeps the last valid parse', async () => {
      const cache = new HostsCacheFile(cacheFile);
      await load(cache);
      const before = await readFile(cacheFile);
      await writeFile(path.join(configDir, 'hosts.csv'), `${HOSTS}bad host!,x,y\n`);
      for (let run = 0; run < 2; run++) {
        const error: unknown = await load(cache).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(ConfigErrors);
        expect((error as ConfigErrors).problems.map((p) => `${p.file}:${p.line}`)).to.deep.equal([
          'config/hosts.csv:4',
        ]);
      }
      expect(await readFile(cacheFile)).to.deep.equal(before);
    });

    it('keeps the ca: file names only: an edited certificate is read at every load', async () => {
      const pem = (n: number) => `-----BEGIN CERTIFICATE-----\nMII${n}\n-----END CERTIFICATE-----\n`;
      // A name only this test serves; nothing is resolved or connected to while loading.
      await writeFile(path.join(configDir, 'hosts.csv'), 'tls://nvr.test:993,NVR,HQ,ca:ca.pem\n');
      const cache = new HostsCacheFile(cacheFile);
      for (const n of [1, 2]) {
        await writeFile(path.join(configDir, 'ca.pem'), pem(n));
        const [target] = (await load(cache)).targets;
        expect(target?.check).to.have.nested.property('tls.ca.pem', pem(n));
        expect((await cache.read())?.targets[0]?.check).to.have.nested.property('tls.ca.pem', null);
      }
    });

    it('reads a missing, damaged or foreign file as no entry, and replaces it', async () => {
      const cache = new HostsCacheFile(cacheFile);
      expect(await cache.read()).to.equal(null);
      for (const content of [Buffer.from('not v8 at all'), Buffer.from([0xff, 0x0f, 0x6f, 0x7b])]) {
        await writeFile(cacheFile, content);
        expect(await cache.read()).to.equal(null);
        expect((await load(cache)).targets).to.have.length(2);
        expect((await cache.read())?.targets).to.have.length(2);
      }
    });

    it('loads without complaint when the cache cannot be written', async () => {
      const cache = new HostsCacheFile(path.join(dir, 'no-such-folder', 'hosts-cache.v8'));
      expect((await load(cache)).targets).to.have.length(2);
      expect(await cache.read()).to.equal(null);
    });
  });
});
