import { faker } from '@faker-js/faker';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  channelTable,
  PLATFORMS,
  publicationTable,
  videoTable,
  type Platform,
  type User,
} from '../../db/schema.js';
import { createApiKey } from '../api-key/api-key.service.js';
import { createUser, findUserByEmail } from '../user/user.service.js';
import { prng, writeHistory } from './history.js';

const DAY_MS = 86_400_000;

export interface SeedOptions {
  /** The owner: created (enterprise plan, in `timezone`) when missing. */
  email: string;
  timezone: string;
  videos: number;
  /** Days of daily history ending today. */
  days: number;
  /** The most recent days also written hour by hour. */
  hourlyDays: number;
  /** Each video on 1–4 platforms instead of all four. */
  mixedPlatforms?: boolean;
  fadingTails?: boolean;
  /** Also create an API key, returned in clear. */
  apiKey?: boolean;
  /** Random seed for the generated parameters. */
  seed: number;
  now?: number;
  /** Before writing the history: the rows to expect, for a progress display. */
  onStart?: (estimatedRows: number) => void;
  onProgress?: (rows: number) => void;
}

export interface SeedResult {
  user: User;
  videos: number;
  publications: number;
  /** Rollup and audience rows written. */
  rows: number;
  apiKey?: string;
}

/** A seeding failure the user can act on (no stack trace needed). */
export class SeedError extends Error {
  override name = 'SeedError';
}

/**
 * Seeds one creator with realistic history, in one transaction: a failure (or an interrupted
 * run) leaves nothing of it behind, and any number of users can be seeded into one database —
 * platform post ids are derived from the new videos' ids, so they never collide with another
 * user's (or an earlier run's) even under the same random seed.
 */
export function seedCreator(db: Db, options: SeedOptions): Promise<SeedResult> {
  return db.transaction((tx) => seedCreatorIn(tx as unknown as Db, options));
}

async function seedCreatorIn(db: Db, options: SeedOptions): Promise<SeedResult> {
  const now = options.now ?? Date.now();
  faker.seed(options.seed);
  const random = prng(options.seed);
  let user = await findUserByEmail(db, options.email);
  if (!user) {
    const created = await createUser(db, {
      email: options.email,
      name: 'Seed Creator',
      plan: 'enterprise',
      timezone: options.timezone,
    });
    if (!created.ok) throw new SeedError(created.errors.map((e) => e.message).join(', '));
    user = created.value;
  }
  const owner = user;
  const existing = await db.select().from(channelTable).where(eq(channelTable.ownerId, owner.id));
  const missing = PLATFORMS.filter((p) => !existing.some((c) => c.platform === p));
  const added = missing.length
    ? await db
        .insert(channelTable)
        .values(
          missing.map((platform) => ({
            ownerId: owner.id,
            platform,
            handle: `@seed-${platform}-${owner.id.slice(0, 6)}`,
            name: 'Seed Creator',
            externalId: `seed-${platform}-${owner.id}`,
          })),
        )
        .returning()
    : [];
  const channelOf = new Map<Platform, string>(
    [...existing, ...added].map((channel) => [channel.platform, channel.id]),
  );

  const tags = ['tutorial', 'vlog', 'review', 'shorts', 'tips', 'travel', 'tech', 'music', 'q&a'];
  const videos = Array.from({ length: options.videos }, () => {
    const publishedAt = new Date(now - random() * options.days * DAY_MS);
    return {
      ownerId: owner.id,
      title: `${faker.commerce.productName()} ${faker.helpers.arrayElement(['review', 'tutorial', 'vlog', 'tips'])}`,
      url: `https://media.pulse.example/videos/${faker.string.uuid()}.mp4`,
      durationSeconds: faker.number.int({ min: 15, max: 1_800 }),
      tags: faker.helpers.arrayElements(tags, { min: 1, max: 3 }),
      status: 'published' as const,
      createdAt: new Date(publishedAt.getTime() - 3_600_000),
      updatedAt: publishedAt,
      publishedAt,
    };
  });
  const insertedVideos = [];
  for (let i = 0; i < videos.length; i += 1000)
    insertedVideos.push(
      ...(await db
        .insert(videoTable)
        .values(videos.slice(i, i + 1000))
        .returning()),
    );
  const publicationRows = insertedVideos.flatMap((video) =>
    (options.mixedPlatforms
      ? faker.helpers.arrayElements(PLATFORMS, { min: 1, max: 4 })
      : [...PLATFORMS]
    ).map((platform) => ({
      videoId: video.id,
      ownerId: owner.id,
      channelId: channelOf.get(platform)!,
      platform,
      // Post ids are unique per platform across all accounts, as on the platforms themselves.
      platformPostId: `seed-${video.id}`,
      publishedAt: video.publishedAt!,
    })),
  );
  const publications = [];
  for (let i = 0; i < publicationRows.length; i += 1000)
    publications.push(
      ...(await db
        .insert(publicationTable)
        .values(publicationRows.slice(i, i + 1000))
        .returning()),
    );
  const durationOf = new Map(insertedVideos.map((v) => [v.id, v.durationSeconds ?? 60]));

  // Rows to expect (before empty ones are skipped), for a progress display.
  const firstDay = now - options.days * DAY_MS;
  const hourlyStart = now - options.hourlyDays * DAY_MS;
  options.onStart?.(
    Math.round(
      publications.reduce((sum, p) => {
        const since = Math.max(p.publishedAt.getTime(), firstDay);
        const dailyOnly = Math.max(0, (hourlyStart - since) / DAY_MS);
        const hourly = Math.max(0, (now - Math.max(since, hourlyStart)) / 3_600_000);
        return sum + dailyOnly + hourly * (1 + 1 / 24);
      }, 0),
    ),
  );
  const rows = await writeHistory(
    db,
    publications.map((p) => ({
      publicationId: p.id,
      videoId: p.videoId,
      channelId: p.channelId,
      platform: p.platform,
      publishedAt: p.publishedAt,
      durationSeconds: durationOf.get(p.videoId)!,
    })),
    {
      ownerId: owner.id,
      timeZone: owner.timezone,
      days: options.days,
      hourlyDays: options.hourlyDays,
      now,
      chunkSize: 100,
      fadingTails: options.fadingTails ?? false,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
    random,
  );
  const apiKey = options.apiKey
    ? (await createApiKey(db, { ownerId: owner.id, name: 'seed key' })).secret
    : undefined;
  return {
    user: owner,
    videos: insertedVideos.length,
    publications: publications.length,
    rows,
    ...(apiKey ? { apiKey } : {}),
  };
}
