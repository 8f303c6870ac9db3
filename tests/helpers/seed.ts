import { eq } from 'drizzle-orm';
import {
  publicationTable,
  userTable,
  type Channel,
  type Plan,
  type Platform,
} from '../../src/db/schema.js';
import type { Scope } from '../../src/modules/auth/scopes.js';
import { createChannels, createPublishedVideo, encodeId } from './fixtures.js';
import type { TestApp, TestViewer } from './test-app.js';

/** A published video to seed: createPublishedVideo's input (title, tags, counters per platform). */
export type VideoSpec = NonNullable<Parameters<typeof createPublishedVideo>[2]> & {
  /** The platform's own id of its first publication (what integrators may ingest by). */
  platformPostId?: string;
};

export interface AccountSpec {
  email?: string;
  plan?: Plan;
  /** The API key's scopes (default: all). */
  scopes?: Scope[];
  /** The user's time zone (default: the user default). */
  timezone?: string;
  /** One channel per platform given (default: none); PLATFORMS for every platform. */
  channels?: readonly Platform[];
  /** Published videos, in order; each one's counters name the platforms it is published on. */
  videos?: VideoSpec[];
}

export interface SeededVideo {
  /** The row id; globalId is the GraphQL node id. */
  id: string;
  globalId: string;
  publications: { id: string; globalId: string; platform: Platform }[];
}

/** A user with an API key (the TestViewer), their channels and their published videos. */
export interface SeededAccount extends TestViewer {
  channels: Channel[];
  videos: SeededVideo[];
}

/** A user with an API key, then their channels, then their videos, as the spec says. */
export async function seedAccount(t: TestApp, spec: AccountSpec = {}): Promise<SeededAccount> {
  const { email, plan, scopes, timezone, channels = [], videos = [] } = spec;
  const viewer = await t.createViewer({
    ...(email ? { email } : {}),
    ...(plan ? { plan } : {}),
    ...(scopes ? { scopes } : {}),
  });
  const db = t.database.db;
  if (timezone) await db.update(userTable).set({ timezone }).where(eq(userTable.id, viewer.userId));
  const account: SeededAccount = {
    ...viewer,
    channels: channels.length ? await createChannels(db, viewer.userId, channels) : [],
    videos: [],
  };
  for (const { platformPostId, ...video } of videos) {
    const created = await createPublishedVideo(db, viewer.userId, video);
    if (platformPostId) {
      await db
        .update(publicationTable)
        .set({ platformPostId })
        .where(eq(publicationTable.id, created.publications[0]!.id));
    }
    account.videos.push({
      id: created.video.id,
      globalId: encodeId('Video', created.video.id),
      publications: created.publications.map((p) => ({
        id: p.id,
        globalId: encodeId('Publication', p.id),
        platform: p.platform,
      })),
    });
  }
  return account;
}

/**
 * Several accounts, seeded one after the other in the order given (the first one's key is the
 * test app's default key when it has no viewer yet).
 */
export async function seedAccounts<const Name extends string>(
  t: TestApp,
  specs: Record<Name, AccountSpec>,
): Promise<Record<Name, SeededAccount>> {
  const accounts = {} as Record<Name, SeededAccount>;
  for (const name of Object.keys(specs) as Name[])
    accounts[name] = await seedAccount(t, specs[name]);
  return accounts;
}
