/**
 * The fan-out peer for S2: a plain `ws` server that speaks just enough graphql-transport-ws for
 * the bench's load generator (connection_init → ack, subscribe → first `next`), and a POST
 * /ingest that adds the events' deltas to in-memory counts and broadcasts one pre-serialized
 * frame per changed video to its subscribers. No database, no GraphQL, no throttle: the floor of
 * what delivering the same frames costs in Node. env: PORT.
 */
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

const views = new Map<string, number>();
const subscribers = new Map<string, Set<WebSocket>>();

const frame = (views: number, delta: number) =>
  Buffer.from(
    JSON.stringify({
      id: '1',
      type: 'next',
      payload: {
        data: {
          videoViewsUpdated: { views, delta, viewsPerMinute: 0, at: new Date().toISOString() },
        },
      },
    }),
  );

const server = createServer((req, res) => {
  if (req.url === '/ready') return void res.end('ok');
  if (req.url !== '/ingest' || req.method !== 'POST') return void res.writeHead(404).end();
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let events: { video?: string; delta?: number }[];
    try {
      events = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return void res.writeHead(400).end();
    }
    const changed = new Map<string, number>();
    for (const event of events) {
      if (!event.video) continue;
      const delta = event.delta ?? 0;
      views.set(event.video, (views.get(event.video) ?? 0) + delta);
      changed.set(event.video, (changed.get(event.video) ?? 0) + delta);
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ accepted: events.length, duplicates: 0, rejected: [] }));
    for (const [video, delta] of changed) {
      const sockets = subscribers.get(video);
      if (!sockets) continue;
      const data = frame(views.get(video)!, delta);
      for (const socket of sockets) socket.send(data, { binary: false });
    }
  });
});

const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: 64 * 1024 });
wss.on('connection', (socket) => {
  let video: string | undefined;
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as {
      type: string;
      payload?: { variables?: { id?: string } };
    };
    if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
    else if (message.type === 'subscribe') {
      video = message.payload?.variables?.id ?? '';
      let set = subscribers.get(video);
      if (!set) subscribers.set(video, (set = new Set()));
      set.add(socket);
      socket.send(frame(views.get(video) ?? 0, 0), { binary: false });
    } else if (message.type === 'complete' && video) subscribers.get(video)?.delete(socket);
  });
  socket.on('close', () => {
    if (video) subscribers.get(video)?.delete(socket);
  });
});

server.listen(Number(process.env['PORT']), '127.0.0.1');
process.once('SIGTERM', () => {
  for (const socket of wss.clients) socket.terminate();
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
