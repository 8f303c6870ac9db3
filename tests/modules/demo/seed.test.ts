import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../src/db/raw.js';
import { writeHistory, prng } from '../../../src/modules/demo/history.js';
import { DEMO_EMAIL, seedDemoData } from '../../../src/modules/demo/demo.service.js';
import { seedCreator } from '../../../src/modules/demo/seed.service.js';
import { createCreator, DAY, query, startAnalyticsApp } from '../../helpers/analytics.js';
import { runSeed, useCliDatabase, withDatabase } from '../../helpers/cli.js';
import { createTestDatabaseUrl, type TestApp, type TestViewer } from '../../helpers/test-app.js';
import type { Db } from '../../../src/db/client.js';

const METRICS = [
  'views',
  'likes',
  'shares',
  'comments',
  'saves',
  'clicks',
  'impressions',
  'reach',
  'watch_seconds',
];
const sums = METRICS.map((m) => `sum(${m})::float8 as ${m}`).join(', ');
const differ = (a: string, b: string) =>
  METRICS.map((m) => `coalesce(${a}.${m}, 0) <> coalesce(${b}.${m}, 0)`).join(' or ');

/** Every layer of the read model against the one below it; returns the mismatching rows. */
export async function readModelMismatches(db: Db, ownerId: string, timeZone: string) {
  const check = (name: string, statement: string) =>
    queryRows<Record<string, unknown>>(db, sql.raw(statement)).then((rows) =>
      rows.map((row) => `${name}: ${JSON.stringify(row)}`),
    );
  const owner = `'${ownerId}'`;
  return [
    ...(await check(
      'owner_daily = Σ publication_daily',
      `with e as (select platform, day, ${sums} from publication_daily_rollups where owner_id = ${owner} group by 1, 2),
            a as (select * from owner_daily_rollups where owner_id = ${owner})
       select * from e full join a using (platform, day) where ${differ('e', 'a')}`,
    )),
    ...(await check(
      'owner_hourly = Σ publication_hourly',
      `with e as (select platform, hour, ${sums} from publication_hourly_rollups where owner_id = ${owner} group by 1, 2),
            a as (select * from owner_hourly_rollups where owner_id = ${owner})
       select * from e full join a using (platform, hour) where ${differ('e', 'a')}`,
    )),
    ...(await check(
      'publication_counters = Σ publication_daily',
      `with e as (select publication_id, ${sums} from publication_daily_rollups where owner_id = ${owner} group by 1),
            a as (select c.* from publication_counters c join publications p on p.id = c.publication_id where p.owner_id = ${owner})
       select * from e full join a using (publication_id) where ${differ('e', 'a')}`,
    )),
    ...(await check(
      'video_counters = Σ publication_counters',
      `with e as (select p.video_id, ${METRICS.map((m) => `sum(c.${m})::float8 as ${m}`).join(', ')}
                  from publication_counters c join publications p on p.id = c.publication_id where p.owner_id = ${owner} group by 1),
            a as (select * from video_counters where owner_id = ${owner})
       select * from e full join a using (video_id) where ${differ('e', 'a')}`,
    )),
    ...(await check(
      'daily days with hours = Σ their hours (local days)',
      `with e as (select publication_id, (hour at time zone '${timeZone}')::date as day, ${sums}
                  from publication_hourly_rollups where owner_id = ${owner} group by 1, 2),
            a as (select d.* from publication_daily_rollups d where owner_id = ${owner}
                  and exists (select 1 from e where e.publication_id = d.publication_id and e.day = d.day))
       select * from e full join a using (publication_id, day) where ${differ('e', 'a')}`,
    )),
  ];
}

describe('seeded history is consistent with itself and with the API', () => {
  let t: TestApp;
  let viewer: TestViewer;
  const timeZone = 'America/New_York';
  let rows = 0;

  beforeAll(async () => {
    t = await startAnalyticsApp();
    const creator = await createCreator(t, {
      timezone: timeZone,
      videos: Array.from({ length: 12 }, (_, i) => ({
        platforms: i % 3 ? ['youtube', 'tiktok'] : ['youtube', 'tiktok', 'instagram', 'twitter'],
        tags: [i % 2 ? 'odd' : 'even'],
      })),
    });
    viewer = creator.viewer;
    const publications = await queryRows<{
      id: string;
      video_id: string;
      channel_id: string;
      platform: any;
    }>(
      t.database.db,
      sql`select id::text, video_id::text, channel_id::text, platform::text from publications where owner_id = ${viewer.userId}`,
    );
    // The fixture's counters start at zero; the history adds to them.
    rows = await writeHistory(
      t.database.db,
      publications.map((p, i) => ({
        publicationId: p.id,
        videoId: p.video_id,
        channelId: p.channel_id,
        platform: p.platform,
        publishedAt: new Date(Date.now() - (3 + i * 5) * DAY),
        durationSeconds: 60 + i,
      })),
      { ownerId: viewer.userId, timeZone, days: 120, hourlyDays: 6, chunkSize: 7 },
      prng(7),
    );
  });
  afterAll(() => t.close());

  it('writes rows, and every layer equals the sum of the one below', async () => {
    expect(rows).toBeGreaterThan(1000);
    expect(await readModelMismatches(t.database.db, viewer.userId, timeZone)).toEqual([]);
  });

  it('the overview (per-owner rows) equals the per-publication sums and the counters', async () => {
    const [counters] = await queryRows<{ views: number; likes: number }>(
      t.database.db,
      sql`select sum(views)::float8 as views, sum(likes)::float8 as likes from video_counters where owner_id = ${viewer.userId}`,
    );
    const data = await query(
      t,
      viewer.key,
      `{ overview: analytics(range: { preset: ALL_TIME }) { totals { views { value } likes { value } } byPlatform { totals { views } } }
         filtered: analytics(range: { preset: ALL_TIME }, filter: { tags: ["odd", "even"] }) { totals { views { value } } }
         report: analyticsReport(input: { metrics: [VIEWS], dimensions: [VIDEO], range: { preset: ALL_TIME } }) { rows { metrics { value } } } }`,
    );
    expect(data.overview.totals.views.value).toBe(Number(counters!.views));
    expect(data.overview.totals.likes.value).toBe(Number(counters!.likes));
    expect(data.overview.byPlatform.reduce((s: number, p: any) => s + p.totals.views, 0)).toBe(
      Number(counters!.views),
    );
    expect(data.filtered.totals.views.value).toBe(Number(counters!.views));
    expect(data.report.rows.reduce((s: number, r: any) => s + r.metrics[0].value, 0)).toBe(
      Number(counters!.views),
    );
  });

  it('writes one audience snapshot per channel and day, and channels follow the newest', async () => {
    const [audience] = await queryRows<{ n: number; channels: number; stale: number }>(
      t.database.db,
      sql`select count(*)::int as n, count(distinct channel_id)::int as channels,
            (select count(*)::int from channels c where c.owner_id = ${viewer.userId} and c.followers <> (
              select followers from channel_audience_daily a where a.channel_id = c.id order by day desc limit 1)) as stale
          from channel_audience_daily where owner_id = ${viewer.userId}`,
    );
    expect(audience).toEqual({ n: 4 * 120, channels: 4, stale: 0 });
    const growth = await query(
      t,
      viewer.key,
      '{ analytics(range: { preset: LAST_90_DAYS }) { growth { change points { date } } } }',
    );
    expect(growth.analytics.growth).toHaveLength(4);
    for (const channel of growth.analytics.growth) expect(channel.points).toHaveLength(90);
  });
});

describe('the demo data', () => {
  it('has 400 days of consistent history on the first start', async () => {
    const { url, drop } = await createTestDatabaseUrl();
    try {
      await withDatabase(
        url,
        async ({ db }) => {
          const user = await seedDemoData(db);
          expect(user.email).toBe(DEMO_EMAIL);
          expect(await readModelMismatches(db, user.id, user.timezone)).toEqual([]);
          const [span] = await queryRows<{ days: number; videos: number }>(
            db,
            sql`select count(distinct day)::int as days, (select count(*)::int from videos) as videos from channel_audience_daily`,
          );
          expect(span!.days).toBe(400);
          expect(span!.videos).toBeGreaterThanOrEqual(200);
        },
        { migrate: true },
      );
    } finally {
      await drop();
    }
  }, 120_000);
});

describe('npm run seed', () => {
  // The CLI is another process, so it needs a database it can open too.
  const shared = useCliDatabase('pulse-seed');

  it('seeds a user with the asked history and reports rows/s', async () => {
    const result = await shared.seed([
      '--videos',
      '6',
      '--days',
      '40',
      '--hourly-days',
      '3',
      '--user',
      'bench@pulse.test',
      '--timezone',
      'Europe/Berlin',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /seeded 6 videos, 24 publications, \d+ rollup and audience rows .* rows\/s/,
    );
    await shared.open(async ({ db }) => {
      const [user] = await queryRows<{ id: string }>(
        db,
        sql`select id::text from users where email = 'bench@pulse.test'`,
      );
      expect(await readModelMismatches(db, user!.id, 'Europe/Berlin')).toEqual([]);
    });
    const refused = await shared.seed(['--videos', 'many']);
    expect(refused.code).toBe(2);
  }, 120_000);
});

/** Per user: videos, publications, videos without any, and rows of the read model. */
async function seededShape(db: Db, email: string) {
  const [row] = await queryRows<{
    users: number;
    videos: number;
    publications: number;
    bare: number;
    daily: number;
  }>(
    db,
    sql`with u as (select id from users where email = ${email})
        select (select count(*)::int from u) as users,
          (select count(*)::int from videos where owner_id in (select id from u)) as videos,
          (select count(*)::int from publications where owner_id in (select id from u)) as publications,
          (select count(*)::int from videos v where v.owner_id in (select id from u)
             and not exists (select 1 from publications p where p.video_id = v.id)) as bare,
          (select count(*)::int from publication_daily_rollups where owner_id in (select id from u)) as daily`,
  );
  return row!;
}

describe('seeding several users into one database', () => {
  const shared = useCliDatabase('pulse-seed');

  it('npm run seed for a second and third user (same random seed): each gets complete data', async () => {
    const users = ['first@pulse.test', 'other@pulse.test', 'third@pulse.test'];
    for (const user of users) {
      const result = await shared.seed([
        '--videos',
        '5',
        '--days',
        '20',
        '--hourly-days',
        '2',
        '--user',
        user,
      ]);
      expect(result.code, `${user}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toMatch(/seeded 5 videos, 20 publications/);
    }
    // Seeding the first user again adds to their data rather than colliding with it.
    const again = await shared.seed([
      '--videos',
      '2',
      '--days',
      '20',
      '--hourly-days',
      '2',
      '--user',
      users[0]!,
    ]);
    expect(again.code, again.stderr).toBe(0);
    await shared.open(async ({ db }) => {
      for (const [index, user] of users.entries()) {
        const shape = await seededShape(db, user);
        const videos = index === 0 ? 7 : 5;
        expect(shape, user).toMatchObject({ users: 1, videos, publications: videos * 4, bare: 0 });
        expect(shape.daily, user).toBeGreaterThan(0);
        const [owner] = await queryRows<{ id: string }>(
          db,
          sql`select id::text from users where email = ${user}`,
        );
        expect(await readModelMismatches(db, owner!.id, 'UTC'), user).toEqual([]);
      }
    });
  }, 180_000);

  it('a seed that fails midway leaves nothing behind, and a failed CLI run says so without a stack', async () => {
    await shared.open(
      async ({ db }) => {
        const failing = seedCreator(db, {
          email: 'broken@pulse.test',
          timezone: 'UTC',
          videos: 4,
          days: 20,
          hourlyDays: 2,
          seed: 42,
          onProgress: () => {
            throw new Error('interrupted');
          },
        });
        await expect(failing).rejects.toThrow('interrupted');
        expect(await seededShape(db, 'broken@pulse.test')).toEqual({
          users: 0,
          videos: 0,
          publications: 0,
          bare: 0,
          daily: 0,
        });
        const [orphans] = await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from channels c where not exists (select 1 from users u where u.id = c.owner_id)`,
        );
        expect(orphans!.n).toBe(0);
      },
      { migrate: true },
    );
    const invalid = await shared.seed(['--videos', '2', '--days', '5', '--user', 'not-an-email']);
    expect(invalid.code).toBe(2);
    const unreachable = await runSeed([
      '--videos',
      '2',
      '--days',
      '5',
      '--database-url',
      'postgres://postgres@127.0.0.1:9/none',
    ]);
    expect(unreachable.code).toBe(1);
    for (const { stderr } of [invalid, unreachable]) {
      expect(stderr).toMatch(/seed failed, nothing was written/);
      expect(stderr).not.toMatch(/\bat .+:\d+:\d+/);
    }
  }, 120_000);
});
