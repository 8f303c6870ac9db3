/**
 * Integrator example: receive Pulse webhooks, verify each signature (Standard Webhooks, with the
 * `standardwebhooks` package), skip repeats by `webhook-id`, answer 2xx fast.
 *
 *   WEBHOOK_SECRET=whsec_… PORT=3000 npx tsx client/examples/webhook-receiver.ts
 *
 * Prints one JSON line per new event. Keep seen ids in your database in real life: Pulse
 * delivers at least once, and a retry or replay carries the same `webhook-id`.
 */
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';

export interface PulseEvent {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export function webhookReceiver(
  secret: string,
  onEvent: (event: PulseEvent, id: string) => void,
): Server {
  const webhook = new Webhook(secret);
  const seen = new Set<string>();
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        // Verify the raw bytes, before any JSON parsing; throws on a bad signature or old timestamp.
        const event = webhook.verify(
          Buffer.concat(chunks),
          req.headers as Record<string, string>,
        ) as PulseEvent;
        const id = String(req.headers['webhook-id']);
        if (!seen.has(id)) {
          seen.add(id);
          onEvent(event, id);
        }
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end('invalid signature');
      }
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const secret = process.env['WEBHOOK_SECRET'];
  if (!secret) throw new Error('Set WEBHOOK_SECRET to the endpoint secret (whsec_…).');
  const server = webhookReceiver(secret, (event, id) =>
    process.stdout.write(`${JSON.stringify({ id, ...event })}\n`),
  );
  server.listen(Number(process.env['PORT'] ?? 3000), '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
  });
}
