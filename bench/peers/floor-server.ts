/**
 * The floor peer for S1: plain node:http + the database driver + JSON.stringify, running the
 * statements Pulse ran for the same request (captured by lib/capture.ts) — no GraphQL, no
 * validation, no resolvers. Statements are sent together (postgres.js pipelines them over the
 * pool), which is the best case for the floor.
 *
 * env: FLOOR_DATABASE_URL (postgres://… or file://<PGlite dir>), FLOOR_STATEMENTS (JSON file),
 * PORT, FLOOR_POOL_SIZE (default 10, Pulse's default DATABASE_POOL_SIZE).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';

const url = process.env['FLOOR_DATABASE_URL']!;
const statements = JSON.parse(readFileSync(process.env['FLOOR_STATEMENTS']!, 'utf8')) as {
  sql: string;
  params: unknown[];
}[];

let run: (text: string, params: unknown[]) => Promise<unknown[]>;
let ping: () => Promise<unknown>;
if (url.startsWith('file://')) {
  const client = await PGlite.create({ dataDir: url.slice('file://'.length) });
  run = async (text, params) => (await client.query(text, params)).rows;
  ping = () => client.query('select 1');
} else {
  const sql = postgres(url, {
    max: Number(process.env['FLOOR_POOL_SIZE'] ?? 10),
    onnotice: () => {},
  });
  run = (text, params) => sql.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
  ping = () => sql`select 1`;
}

const server = createServer((req, res) => {
  if (req.url === '/ready') {
    ping().then(
      () => res.end('ok'),
      () => res.writeHead(503).end(),
    );
    return;
  }
  req.resume();
  req.on('end', () => {
    Promise.all(statements.map((s) => run(s.sql, s.params))).then(
      (results) => {
        const body = JSON.stringify({ data: results });
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: String(error) }] }));
      },
    );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env['PORT']), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
