import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_PGLITE_DIR, loadConfig } from '../../src/env.js';
import { generateApiKey } from '../../src/modules/api-key/api-key.token.js';
import { runToEnd } from '../helpers/process.js';

describe('configuration', () => {
  it('has safe local defaults: embedded PGlite on disk, demo on, GraphiQL and introspection on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      database: { kind: 'pglite', dataDir: DEFAULT_PGLITE_DIR },
      demo: { enabled: true },
      graphiql: true,
      introspection: true,
      limits: {
        graphqlMaxBodyBytes: 65_536,
        graphqlMaxConcurrentOperations: 20,
        maxPageSize: 100,
        wsConnectionInitTimeoutMs: 3000,
        wsKeepAliveMs: 12_000,
      },
      shutdownTimeoutMs: 10_000,
    });
  });

  it('selects in-memory PGlite for memory:// and PostgreSQL (demo off) for postgres://', () => {
    expect(loadConfig({ DATABASE_URL: 'memory://' }).database).toEqual({
      kind: 'pglite',
      dataDir: undefined,
    });
    const pg = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/pulse', DATABASE_POOL_SIZE: '20' });
    expect(pg.database).toMatchObject({
      kind: 'postgres',
      poolSize: 20,
      statementTimeoutMs: 5000,
      acquireTimeoutMs: 2000,
    });
    expect(pg.demo.enabled).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/pulse', DEMO: 'true' }).demo.enabled).toBe(
      true,
    );
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        DEMO_API_KEY: 'secret',
        GRAPHIQL: 'maybe',
        GRAPHQL_MAX_CONCURRENT_OPERATIONS: '0',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of [
      'PORT',
      'DATABASE_URL',
      'LOG_LEVEL',
      'DEMO_API_KEY',
      'GRAPHIQL',
      'GRAPHQL_MAX_CONCURRENT_OPERATIONS',
    ])
      expect(problems).toContain(key);
  });

  it('accepts a well-formed DEMO_API_KEY and treats empty values as unset', () => {
    const key = generateApiKey();
    expect(loadConfig({ DEMO_API_KEY: key, PORT: '' }).demo.apiKey).toBe(key);
    expect(loadConfig({ PORT: '' }).port).toBe(4000);
  });

  it('the server exits 1 with one message listing every problem', async () => {
    const result = await runToEnd('src/main.ts', [], { PORT: '-1', DATABASE_URL: 'nope' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('DATABASE_URL');
    // A process start (tsx compiles on start): generous when CI runs suites side by side.
  }, 120_000);
});
