import type { BenchContext } from './lib/context.js';
import type { ScenarioResult } from './lib/report.js';
import { graphql, startPulse } from './lib/target.js';

/** The content list with its nested fields, exactly as tests/modules/video/batching.test.ts asks for it. */
export const LIST_QUERY = /* GraphQL */ `
  query List($first: Int!) {
    videos(first: $first) {
      edges {
        node {
          id
          title
          owner {
            id
            email
          }
          stats {
            views
            engagementRate
          }
          publications {
            platform
            channel {
              handle
            }
            stats {
              views
              likes
            }
          }
        }
      }
    }
  }
`;

async function statementCounter(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = /^pulse_sql_statements_total (\d+)/m.exec(text)?.[1];
  if (value === undefined) throw new Error('/metrics has no pulse_sql_statements_total');
  return Number(value);
}

/** S4: SQL statements per request at page sizes 10 and 100, read from /metrics. */
export async function s4NPlusOne(ctx: BenchContext): Promise<ScenarioResult> {
  const started = performance.now();
  const pulse = await startPulse(ctx.db, ctx.prepared, { nodeArgs: ctx.pulseNodeArgs });
  try {
    const counts: Record<number, number[]> = {};
    for (const first of [10, 100, 10, 100, 10, 100]) {
      // Warm: the first request of a key records its use (once a minute), not part of the page.
      const warm = await graphql(pulse.url, ctx.prepared.apiKey, LIST_QUERY, { first });
      if (warm.errors) throw new Error(`list query failed: ${JSON.stringify(warm.errors)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const before = await statementCounter(pulse.url);
      const response = await graphql(pulse.url, ctx.prepared.apiKey, LIST_QUERY, { first });
      if (response.errors) throw new Error(`list query failed: ${JSON.stringify(response.errors)}`);
      const edges = (response.data as { videos: { edges: unknown[] } }).videos.edges.length;
      if (edges !== first) throw new Error(`expected ${first} videos, got ${edges}`);
      (counts[first] ??= []).push((await statementCounter(pulse.url)) - before);
    }
    // The fewest of three: background work (the scheduler's and the webhook worker's idle
    // reads) lands in a sample now and then, while an N+1 shows in every one.
    const ten = Math.min(...counts[10]!);
    const hundred = Math.min(...counts[100]!);
    const grows = hundred > ten;
    return {
      id: 'S4',
      title: 'N+1',
      profile: ctx.db.profile,
      ok: true,
      rows: [
        {
          metric: 'SQL statements per request, page size 10 (incl. API-key lookup)',
          unit: '',
          pulse: ten,
        },
        {
          metric: 'SQL statements per request, page size 100 (incl. API-key lookup)',
          unit: '',
          pulse: hundred,
          target: 'same as page size 10',
          met: !grows,
        },
        {
          metric: 'data statements per request, page size 100 (without the key lookup)',
          unit: '',
          pulse: hundred - 1,
          target: '≤ 3',
          met: hundred - 1 <= 3,
        },
      ],
      notes: [
        `Every request first looks its API key up (one statement); the list itself takes ${ten - 1} statements at page size 10 and ${hundred - 1} at 100 (the page, the publications with their counters, their channels).${grows ? ' **The count grows with the page size (N+1).**' : ''} Asking for totalCount adds one count statement.`,
      ],
      runs: counts,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await pulse.process.stop();
  }
}
