// PostGraphile v4 peer, run from the bench's own install (bench/.peers/postgraphile), so
// Pulse's dependencies never see it. env: PEER_DIR, PG_URL, PG_SCHEMA, PORT.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(`${process.env.PEER_DIR}/package.json`);
const { postgraphile } = require('postgraphile');

const handler = postgraphile(process.env.PG_URL, process.env.PG_SCHEMA, {
  graphiql: false,
  disableQueryLog: true,
  disableDefaultMutations: true,
  simpleCollections: 'only',
  setofFunctionsContainNulls: false,
  ignoreRBAC: false,
  retryOnInitFail: false,
  watchPg: false,
  // The production recommendations of the PostGraphile docs.
  extendedErrors: [],
  showErrorStack: false,
});
const server = createServer(handler);
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
