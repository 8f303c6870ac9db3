import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOperationAdmission } from '../../../src/modules/limits/admission.js';
import { startTestApp } from '../../helpers/test-app.js';

/**
 * A real yoga server over HTTP whose `hold` field waits until the test opens its gate, so which
 * operations ran is known exactly.
 */
function heldServer(concurrency: number) {
  const started: string[] = [];
  const gates = new Map<string, () => void>();
  const admission = createOperationAdmission(concurrency);
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: /* GraphQL */ `
        type Held {
          after: String
        }
        type Query {
          hold(id: String!): Held
        }
      `,
      resolvers: {
        Query: {
          hold: (_: unknown, { id }: { id: string }) => {
            started.push(id);
            return new Promise((resolve) => gates.set(id, () => resolve({ id })));
          },
        },
        Held: {
          after: ({ id }: { id: string }) => id,
        },
      },
    }),
    plugins: [admission.plugin],
    logging: false,
  });
  const server: Server = createServer(yoga);
  return { server, admission, started, gates };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

const connections = (server: Server) =>
  new Promise<number>((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );

const holdQuery = (id: string) => JSON.stringify({ query: `{ hold(id: "${id}") { after } }` });

function ask(url: string, id: string) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: holdQuery(id),
  });
}

/** A request on its own socket that the test abandons: destroying it closes that socket. */
function askThenLeave(url: string, id: string) {
  const req = request(url, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json' },
  });
  req.on('error', () => {});
  req.end(holdQuery(id));
  return () => req.destroy();
}

describe('operation admission (GRAPHQL_MAX_CONCURRENT_OPERATIONS)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function holding(concurrency: number) {
    const held = heldServer(concurrency);
    server = held.server;
    return { ...held, url: await listen(held.server) };
  }

  const open = (gates: Map<string, () => void>, id: string) => gates.get(id)!();

  it('runs at most N operations at once; the rest wait their turn in arrival order', async () => {
    const { url, admission, started, gates } = await holding(2);
    const responses = ['a', 'b', 'c', 'd'].map((id) => ask(url, id));
    await vi.waitFor(() => expect(admission.waiting()).toBe(2));
    expect(started).toEqual(['a', 'b']);
    expect(admission.running()).toBe(2);

    open(gates, 'a');
    await vi.waitFor(() => expect(started).toEqual(['a', 'b', 'c']));
    open(gates, 'b');
    open(gates, 'c');
    await vi.waitFor(() => expect(started).toHaveLength(4));
    open(gates, 'd');
    const bodies = await Promise.all(responses.map(async (r) => (await r).json()));
    expect(bodies.map((body) => body.data.hold.after)).toEqual(['a', 'b', 'c', 'd']);
    expect(admission.running() + admission.waiting()).toBe(0);
  });

  it('drops a waiting request whose client went away before it reaches a resolver', async () => {
    const { server, url, admission, started, gates } = await holding(1);
    const first = ask(url, 'first');
    await vi.waitFor(() => expect(started).toEqual(['first']));
    const leave = askThenLeave(url, 'abandoned');
    await vi.waitFor(() => expect(admission.waiting()).toBe(1));
    leave();
    // The server has seen the socket close (and so aborted that request) before the turn comes.
    await vi.waitFor(async () => expect(await connections(server)).toBe(1));

    open(gates, 'first');
    expect((await (await first).json()).data.hold.after).toBe('first');
    await vi.waitFor(() => expect(admission.waiting() + admission.running()).toBe(0));
    const next = ask(url, 'next');
    await vi.waitFor(() => expect(started).toContain('next'));
    open(gates, 'next');
    expect((await (await next).json()).data.hold.after).toBe('next');
    expect(started).toEqual(['first', 'next']);
  });
});

describe('operation admission in the app', () => {
  it('reports running and waiting operations on /metrics', async () => {
    const t = await startTestApp({ GRAPHQL_MAX_CONCURRENT_OPERATIONS: '3' });
    try {
      expect(t.config.limits.graphqlMaxConcurrentOperations).toBe(3);
      const body = await (await t.app.fetch('http://pulse.test/metrics')).text();
      expect(body).toMatch(/^pulse_graphql_operations_running 0$/m);
      expect(body).toMatch(/^pulse_graphql_operations_waiting 0$/m);
    } finally {
      await t.close();
    }
  });
});
