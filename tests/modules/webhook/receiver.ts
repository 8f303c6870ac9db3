import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed message, once its signature verified with one of the path's secrets. */
  message: { type: string; timestamp: string; data: any };
  /** How many `v1,` signatures the header carried. */
  signatures: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A webhook receiver on 127.0.0.1: every request must carry a Standard Webhooks signature that
 * verifies (with the `standardwebhooks` package) under a secret registered for its path, else
 * it is kept in `rejected` and answered 400. Replies come from the path's script (default 204).
 */
export class Receiver {
  readonly received: Received[] = [];
  readonly rejected: { path: string; reason: string; headers: IncomingHttpHeaders }[] = [];
  private readonly secrets = new Map<string, string[]>();
  private readonly scripts = new Map<string, Reply[]>();
  private waiters: (() => void)[] = [];
  private holding = false;
  private held: ServerResponse[] = [];
  private server!: Server;
  url = '';

  /**
   * `anyTime`: accept any `webhook-timestamp` (tests on a fake clock), comparing each signature
   * with what standardwebhooks signs for it; otherwise Webhook.verify (5-minute tolerance).
   */
  private constructor(private readonly anyTime: boolean) {}

  static async start(options: { anyTime?: boolean } = {}): Promise<Receiver> {
    const receiver = new Receiver(options.anyTime ?? false);
    receiver.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const reply = receiver.handle(
          request.url ?? '/',
          request.headers,
          Buffer.concat(chunks).toString('utf8'),
        );
        // Held: recorded, but answered only after release() (or never, if the sender dies).
        if (receiver.holding && reply.status < 300) return void receiver.held.push(response);
        response.writeHead(reply.status, reply.headers ?? {});
        response.end(reply.body ?? '');
      });
    });
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
    return receiver;
  }

  /** Secrets that may sign requests to `path` (the current one; more during a rotation). */
  accept(path: string, ...secrets: string[]) {
    this.secrets.set(path, secrets);
  }

  /** The next replies for `path`, in order; after them, 204. */
  script(path: string, ...replies: Reply[]) {
    this.scripts.set(path, replies);
  }

  private handle(path: string, headers: IncomingHttpHeaders, body: string): Reply {
    const secrets = this.secrets.get(path) ?? [];
    let message: Received['message'] | undefined;
    let reason = 'no secret registered for this path';
    for (const secret of secrets) {
      try {
        message = this.verify(secret, body, headers);
        break;
      } catch (error) {
        reason = (error as Error).message;
      }
    }
    this.notify();
    if (!message) {
      this.rejected.push({ path, reason, headers });
      return { status: 400, body: reason };
    }
    const signature = String(headers['webhook-signature'] ?? '');
    this.received.push({ path, headers, body, message, signatures: signature.split(' ').length });
    return this.scripts.get(path)?.shift() ?? { status: 204 };
  }

  /** Verified requests get no answer until release(): an attempt stays in flight. */
  hold() {
    this.holding = true;
  }

  /** Answers every held request with 204 and stops holding. */
  release() {
    this.holding = false;
    for (const response of this.held.splice(0))
      if (!response.destroyed) response.writeHead(204).end();
  }

  private verify(secret: string, body: string, headers: IncomingHttpHeaders): Received['message'] {
    const webhook = new Webhook(secret);
    if (!this.anyTime)
      return webhook.verify(body, headers as Record<string, string>) as Received['message'];
    const id = String(headers['webhook-id']);
    const at = new Date(Number(headers['webhook-timestamp']) * 1000);
    const expected = webhook.sign(id, at, body);
    const given = String(headers['webhook-signature'] ?? '').split(' ');
    if (!given.includes(expected)) throw new Error('No matching signature found');
    return JSON.parse(body) as Received['message'];
  }

  private notify() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once `check` holds (checked on every request), or fails after `timeoutMs`. */
  async until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('receiver: timed out waiting');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Messages received on `path` (all paths when omitted). */
  on(path?: string): Received[] {
    return path === undefined ? this.received : this.received.filter((r) => r.path === path);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
