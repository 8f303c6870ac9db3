import { defineConfig } from 'drizzle-kit';

// Only used by `npm run db:generate`; the server applies drizzle/ itself at boot.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  casing: 'snake_case',
});
