import { defineConfig } from 'vitest/config';

const postgresUrl = process.env['TEST_DATABASE_URL'];
if (process.env['CI'] === 'true' && !postgresUrl) {
  // In CI every suite must also run on PostgreSQL; skipping it silently would hide failures.
  throw new Error(
    'CI=true requires TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)',
  );
}

const graphqlAlias = [{ find: /^graphql$/, replacement: 'graphql/index.js' }];

export default defineConfig({
  resolve: {
    // Vitest otherwise loads graphql twice (ESM and CJS) and graphql-js refuses the mix.
    alias: graphqlAlias,
  },
  test: {
    include: ['tests/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      // The dashboards' component tests: in a DOM, once (no database). Not `extends: true`, which
      // would add the root include (every *.test.ts) to this project; the root's *.ts glob in turn
      // leaves these *.tsx files out of the database projects.
      {
        resolve: { alias: graphqlAlias },
        test: {
          name: 'client',
          include: ['tests/client/**/*.test.tsx'],
          environment: 'happy-dom',
          setupFiles: ['tests/client/setup.ts'],
          testTimeout: 30_000,
        },
      },
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
