import { pino } from 'pino';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addressAllowed,
  createEgressAgent,
  isBlockedAddress,
  webhookUrlProblem,
} from '../../../src/modules/webhook/ssrf.js';
import { createWebhookServices } from '../../../src/modules/webhook/webhook.services.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { CREATE, createEndpoint, deliveries, startWebhookApp } from './helpers.js';
import { Receiver } from './receiver.js';

// Only pure checks for these: no packet is ever sent to them.
const BLOCKED = {
  loopback: ['127.0.0.1', '127.1.2.3', '::1'],
  unspecified: ['0.0.0.0', '::'],
  private: ['10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.0.1'],
  'link-local and cloud metadata': ['169.254.169.254', '169.254.0.1', 'fe80::1'],
  CGNAT: ['100.64.0.1', '100.127.255.255'],
  'unique local IPv6': ['fc00::1', 'fd00::1', 'fd00:ec2::254'],
  multicast: ['224.0.0.1', '239.255.255.250', 'ff02::1'],
  broadcast: ['255.255.255.255'],
  'reserved and documentation': ['192.0.2.1', '198.18.0.1', '240.0.0.1', '2001:db8::1'],
  'IPv4-mapped IPv6': [
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '[::ffff:10.0.0.1]',
    '::ffff:169.254.169.254',
  ],
  'IPv4-embedding IPv6 (NAT64, 6to4, Teredo)': ['64:ff9b::a00:1', '2002:7f00:1::', '2001::1'],
  'not an address': ['', 'localhost', '1.2.3', '::gg'],
};
const PUBLIC = [
  '8.8.8.8',
  '1.1.1.1',
  '172.32.0.1',
  '100.128.0.1',
  '11.0.0.1',
  '2606:4700:4700::1111',
  '::ffff:8.8.8.8',
];

describe('egress rules (pure)', () => {
  for (const [range, addresses] of Object.entries(BLOCKED)) {
    it(`blocks ${range}`, () => {
      for (const address of addresses) expect(isBlockedAddress(address), address).toBe(true);
    });
  }

  it('lets public unicast addresses through', () => {
    for (const address of PUBLIC) expect(isBlockedAddress(address), address).toBe(false);
  });

  it('lets an allowlisted host or address through, and nothing else', () => {
    const policy = { allowHttp: false, allowHosts: new Set(['127.0.0.1', 'hooks.internal']) };
    expect(addressAllowed(policy, '127.0.0.1', '127.0.0.1')).toBe(true);
    expect(addressAllowed(policy, 'hooks.internal', '10.1.2.3')).toBe(true);
    expect(addressAllowed(policy, 'other.internal', '10.1.2.3')).toBe(false);
    expect(addressAllowed(policy, '127.0.0.2', '127.0.0.2')).toBe(false);
  });

  it('refuses URLs before any connection: scheme, credentials, literal and local hosts', () => {
    const strict = { allowHttp: false, allowHosts: new Set<string>() };
    expect(webhookUrlProblem(strict, 'https://hooks.example.com/in')).toBeNull();
    expect(webhookUrlProblem(strict, 'http://hooks.example.com/in')).toBe('must be an https URL');
    for (const url of [
      'https://127.0.0.1/',
      'https://2130706433/',
      'https://0x7f.0.0.1/',
      'https://0177.0.0.1/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::1]/',
      'https://169.254.169.254/latest/meta-data/',
      'https://100.100.100.200/',
    ]) {
      expect(webhookUrlProblem(strict, url), url).toBe(
        'must not point at a private, loopback or local address',
      );
    }
    expect(webhookUrlProblem(strict, 'https://localhost/')).toBe('must name a public host');
    expect(webhookUrlProblem(strict, 'https://x.localhost/')).toBe('must name a public host');
    expect(webhookUrlProblem(strict, 'https://intranet/')).toBe('must name a public host');
    expect(webhookUrlProblem(strict, 'https://a:b@hooks.example.com/')).toBe(
      'must not contain credentials',
    );
  });
});

describe('delivery to loopback', () => {
  let receiver: Receiver;
  let strictApp: TestApp;
  let allowed: TestApp;

  beforeAll(async () => {
    receiver = await Receiver.start();
    strictApp = await startTestApp({ WEBHOOK_ALLOW_HTTP: 'true' });
    allowed = await startWebhookApp({ WEBHOOK_CONCURRENCY: '0' });
  });

  afterAll(async () => {
    await strictApp?.close();
    await allowed?.close();
    await receiver?.close();
  });

  it('refuses an endpoint on 127.0.0.1 unless WEBHOOK_ALLOW_HOSTS names it', async () => {
    await strictApp.createViewer();
    const response = await strictApp.graphql(CREATE, {
      variables: { input: { url: `${receiver.url}/in` } },
    });
    expect(response.body.data.createWebhookEndpoint.userErrors).toEqual([
      {
        field: ['input', 'url'],
        code: 'INVALID',
        message: 'must not point at a private, loopback or local address',
      },
    ]);
  });

  it('checks addresses at connect time: literals, names that resolve to loopback, mapped forms', async () => {
    const port = new URL(receiver.url).port;
    const strict = createEgressAgent(
      { allowHttp: true, allowHosts: new Set() },
      { connectTimeoutMs: 2000 },
    );
    const open = createEgressAgent(
      { allowHttp: true, allowHosts: new Set(['127.0.0.1']) },
      { connectTimeoutMs: 2000 },
    );
    try {
      for (const url of [
        `http://127.0.0.1:${port}/blocked`,
        `http://localhost:${port}/blocked`,
        `http://[::ffff:127.0.0.1]:${port}/blocked`,
        `http://2130706433:${port}/blocked`,
        `http://0.0.0.0:${port}/blocked`,
        `http://[::1]:${port}/blocked`,
      ]) {
        await expect(
          request(url, { method: 'POST', body: '{}', dispatcher: strict }),
          url,
        ).rejects.toThrow(/not a public address \(refused\)/);
      }
      expect(receiver.rejected.filter((r) => r.path === '/blocked')).toEqual([]);
      const reached = await request(`http://127.0.0.1:${port}/blocked`, {
        method: 'POST',
        body: '{}',
        dispatcher: open,
      });
      await reached.body.text();
      expect(reached.statusCode).toBe(400);
      expect(receiver.rejected.filter((r) => r.path === '/blocked')).toHaveLength(1);
    } finally {
      await strict.close();
      await open.close();
    }
  });

  it('refuses the attempt when the rules changed since the endpoint was saved', async () => {
    const owner = await allowed.createViewer();
    const endpoint = await createEndpoint(allowed, { url: `${receiver.url}/changed` }, owner.key);
    receiver.accept('/changed', endpoint.secret);
    const strictWorker = createWebhookServices({
      config: { ...allowed.config.webhooks, allowHosts: new Set(), concurrency: 5 },
      db: allowed.database.db,
      logger: pino({ level: 'silent' }),
      worker: { autoStart: false },
    });
    try {
      await allowed.graphql(
        `mutation ($id: ID!) { sendTestWebhook(input: { id: $id }) { delivery { id } } }`,
        { key: owner.key, variables: { id: endpoint.id } },
      );
      expect(await strictWorker.worker.runDue()).toBe(1);
      const [delivery] = await deliveries(allowed, { endpoint: endpoint.id }, owner.key);
      expect(delivery.status).toBe('PENDING');
      expect(delivery.attempts[0]).toMatchObject({
        statusCode: null,
        error: 'URL refused: must not point at a private, loopback or local address',
      });
      expect(receiver.on('/changed')).toEqual([]);
    } finally {
      await strictWorker.stop();
    }
  });
});
