import { createServer, Socket, type AddressInfo, type Server } from 'node:net';

/**
 * A TCP proxy between the app and PostgreSQL that a fault test cuts (every connection reset, new
 * ones refused: a restart) or stalls (bytes accepted but nothing forwarded either way: a paused
 * or partitioned server), then restores. Only 127.0.0.1; the shared server itself is untouched.
 */
export interface TcpProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  rewrite(url: string): string;
  cut(): Promise<void>;
  stall(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** What arrived from each side during a stall, forwarded on restore. */
  held: { toUpstream: Buffer[]; toClient: Buffer[] };
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let stalled = false;
  let server: Server | undefined;
  let port = 0;

  function accept(client: Socket) {
    const upstream = new Socket();
    const pair: Pair = { client, upstream, held: { toUpstream: [], toClient: [] } };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) =>
      stalled ? pair.held.toUpstream.push(chunk) : upstream.write(chunk),
    );
    upstream.on('data', (chunk: Buffer) =>
      stalled ? pair.held.toClient.push(chunk) : client.write(chunk),
    );
    for (const socket of [client, upstream]) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
    upstream.connect(target.port, target.host);
  }

  async function listen() {
    server = createServer(accept);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  }

  async function stopListening() {
    const closing = server;
    server = undefined;
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  }

  async function cut() {
    const closing = stopListening();
    for (const pair of pairs) {
      pair.client.resetAndDestroy();
      pair.upstream.destroy();
    }
    pairs.clear();
    await closing;
  }

  await listen();

  return {
    get port() {
      return port;
    },
    rewrite(url) {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return proxied.toString();
    },
    cut,
    stall() {
      stalled = true;
    },
    async restore() {
      stalled = false;
      for (const { client, upstream, held } of pairs) {
        for (const chunk of held.toUpstream.splice(0)) upstream.write(chunk);
        for (const chunk of held.toClient.splice(0)) client.write(chunk);
      }
      if (!server) await listen();
    },
    close: cut,
  };
}
