import { defineConfig } from 'vitest/config';

const postgresUrl = process.env['TEST_DATABASE_URL'];
if (process.env['CI'] === 'true' && !postgresUrl) {
  // In CI every suite must also run on PostgreSQL; skipping it silently would hide failures.
  throw new Error(
    'CI=true requires TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)',
  );
}

export default defineConfig({
  resolve: {
    // Vitest otherwise loads graphql twice (ESM and CJS) and graphql-js refuses the mix.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true as const, test: { name: 'pglite', env: { PULSE_TEST_DATABASE: 'pglite' } } },
      ...(postgresUrl
        ? [
            {
              extends: true as const,
              test: { name: 'postgres', env: { PULSE_TEST_DATABASE: postgresUrl } },
            },
          ]
        : []),
    ],
  },
});
