import { withDatabase } from './database.js';

await withDatabase(async (database) => {
  process.stdout.write(`migrations applied (${database.kind})\n`);
});
