import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAccount, type SeededAccount } from '../../helpers/seed.js';
import type { TestApp } from '../../helpers/test-app.js';
import { createEndpoint, startWebhookApp } from './helpers.js';
import { Receiver } from './receiver.js';

let t: TestApp;
let receiver: Receiver;
let owner: SeededAccount;
let other: SeededAccount;

const CREATE_RULE = `mutation ($input: CreateWebhookThresholdRuleInput!) {
  createWebhookThresholdRule(input: $input) {
    rule { id metric direction threshold windowMinutes active video { id } }
    userErrors { field code }
  }
}`;
const RECORD = `mutation ($events: [MetricEventInput!]!) {
  recordMetrics(input: { events: $events }) { accepted rejected { code message } }
}`;

beforeAll(async () => {
  t = await startWebhookApp();
  receiver = await Receiver.start();
  owner = await seedAccount(t, {
    plan: 'enterprise',
    channels: ['youtube'],
    videos: [{ title: 'Hit' }],
  });
  other = await seedAccount(t, { channels: ['youtube'], videos: [{ title: 'Not yours' }] });
});

afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

let eventId = 0;
async function record(metric: string, delta: number) {
  const response = await t.graphql(RECORD, {
    key: owner.key,
    variables: {
      events: [{ id: `e${++eventId}`, video: owner.videos[0]!.globalId, metric, delta }],
    },
  });
  // Acknowledged once committed; the rules are evaluated after that, off the request path.
  expect(response.body.data.recordMetrics).toEqual({ accepted: 1, rejected: [] });
}

const thresholds = () =>
  receiver.on('/rules').filter((r) => r.message.type === 'metrics.threshold');

describe('metrics.threshold rules', () => {
  it('refuses bad rules and other accounts\u2019 videos', async () => {
    const response = await t.graphql(CREATE_RULE, {
      key: owner.key,
      variables: {
        input: {
          metric: 'VIEWS',
          direction: 'ABOVE',
          threshold: -1,
          windowMinutes: 0,
          video: other.videos[0]!.globalId,
        },
      },
    });
    expect(response.body.data.createWebhookThresholdRule.userErrors).toEqual([
      { field: ['input', 'threshold'], code: 'INVALID' },
      { field: ['input', 'windowMinutes'], code: 'INVALID' },
    ]);
    const idor = await t.graphql(CREATE_RULE, {
      key: owner.key,
      variables: {
        input: {
          metric: 'VIEWS',
          direction: 'ABOVE',
          threshold: 1,
          windowMinutes: 5,
          video: other.videos[0]!.globalId,
        },
      },
    });
    expect(idor.body.data.createWebhookThresholdRule.userErrors).toEqual([
      { field: ['input', 'video'], code: 'NOT_FOUND' },
    ]);
  });

  it('fires when a windowed sum crosses its threshold, once until it is re-armed', async () => {
    const endpoint = await createEndpoint(
      t,
      { url: `${receiver.url}/rules`, events: ['METRICS_THRESHOLD'] },
      owner.key,
    );
    receiver.accept('/rules', endpoint.secret);
    const above = await t.graphql(CREATE_RULE, {
      key: owner.key,
      variables: {
        input: {
          metric: 'VIEWS',
          direction: 'ABOVE',
          threshold: 100,
          windowMinutes: 60,
          video: owner.videos[0]!.globalId,
        },
      },
    });
    const rule = above.body.data.createWebhookThresholdRule.rule;
    expect(rule).toMatchObject({ metric: 'VIEWS', direction: 'ABOVE', active: false });
    const below = await t.graphql(CREATE_RULE, {
      key: owner.key,
      variables: {
        input: { metric: 'LIKES', direction: 'BELOW', threshold: 5, windowMinutes: 60 },
      },
    });
    const belowRule = below.body.data.createWebhookThresholdRule.rule;

    await record('VIEWS', 60);
    // Likes are 0 < 5: the account-wide BELOW rule fires at the first evaluation.
    await receiver.until(() => thresholds().length === 1);
    expect(thresholds()[0]!.message.data).toMatchObject({
      rule: {
        id: belowRule.id,
        metric: 'LIKES',
        direction: 'BELOW',
        threshold: 5,
        windowMinutes: 60,
      },
      video: null,
      value: 0,
    });
    await record('VIEWS', 50);
    await receiver.until(() => thresholds().length === 2);
    expect(thresholds()[1]!.message.data).toEqual({
      rule: { id: rule.id, metric: 'VIEWS', direction: 'ABOVE', threshold: 100, windowMinutes: 60 },
      video: { id: owner.videos[0]!.globalId, title: 'Hit' },
      value: 110,
      at: expect.any(String),
    });
    await record('VIEWS', 10);
    await record('LIKES', 10);
    await record('LIKES', 1);
    await settle();
    // Still above (no new event); likes went to 10, then 11: the BELOW rule is re-armed, silent.
    expect(thresholds()).toHaveLength(2);
    const listed = await t.graphql(`{ webhookThresholdRules { id active lastValue } }`, {
      key: owner.key,
    });
    const [aboveState, belowState] = listed.body.data.webhookThresholdRules;
    expect(aboveState).toEqual({ id: rule.id, active: true, lastValue: 110 });
    // Evaluations of quick successive batches may fold into one: 10 or 11 likes.
    expect(belowState).toMatchObject({ id: belowRule.id, active: false });
    expect([10, 11]).toContain(belowState.lastValue);
    const deleted = await t.graphql(
      `mutation ($id: ID!) { deleteWebhookThresholdRule(input: { id: $id }) { deletedRuleId userErrors { code } } }`,
      { key: other.key, variables: { id: rule.id } },
    );
    expect(deleted.body.data.deleteWebhookThresholdRule).toEqual({
      deletedRuleId: null,
      userErrors: [{ code: 'NOT_FOUND' }],
    });
  });
});

async function settle() {
  const { outboxDepth } = await import('../../../src/modules/webhook/delivery.service.js');
  for (let i = 0; i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const depth = await outboxDepth(t.database.db, new Date(Date.now() + 1000));
    if (depth.due === 0 && t.app.services.webhooks.worker.stats().inFlight === 0) return;
  }
  throw new Error('outbox did not drain');
}
