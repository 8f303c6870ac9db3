import { startTestApp, type TestApp } from '../../helpers/test-app.js';

/** A test app whose webhooks may reach the in-process receiver (http on 127.0.0.1 only). */
export function startWebhookApp(env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    ...env,
  });
}

export const ENDPOINT_FIELDS = `id url description events scopes status disabledReason disabledAt
  failingSince rotatedAt previousSecretExpiresAt app { id }`;

export const CREATE = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    endpoint { ${ENDPOINT_FIELDS} }
    secret
    userErrors { field code message }
  }
}`;

export const DELIVERY_FIELDS = `id webhookId eventType status attemptCount nextAttemptAt lastStatusCode
  lastError requestBody createdAt finishedAt endpoint { id } replayOf { id }
  attempts { attempt statusCode error responseExcerpt durationMs requestHeaders { name value } }`;

export const DELIVERIES = `query ($endpoint: ID, $status: [WebhookDeliveryStatus!], $event: [WebhookEventType!]) {
  webhookDeliveries(endpoint: $endpoint, status: $status, event: $event, first: 100) {
    totalCount
    edges { node { ${DELIVERY_FIELDS} } }
  }
}`;

export interface CreatedEndpoint {
  id: string;
  secret: string;
}

/** Creates an endpoint through the API (with the given key) and returns its id and secret. */
export async function createEndpoint(
  t: TestApp,
  input: { url: string; events?: string[]; description?: string; app?: string },
  key?: string,
): Promise<CreatedEndpoint> {
  const response = await t.graphql(CREATE, { variables: { input }, ...(key ? { key } : {}) });
  const payload = response.body.data?.createWebhookEndpoint;
  if (!payload?.endpoint) throw new Error(JSON.stringify(response.body));
  return { id: payload.endpoint.id, secret: payload.secret };
}

/** The delivery log as the key sees it. */
export async function deliveries(
  t: TestApp,
  variables: { endpoint?: string; status?: string[]; event?: string[] } = {},
  key?: string,
): Promise<any[]> {
  const response = await t.graphql(DELIVERIES, { variables, ...(key ? { key } : {}) });
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data.webhookDeliveries.edges.map((edge: { node: unknown }) => edge.node);
}
