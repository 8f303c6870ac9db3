import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicationTable, userTable, videoTable } from '../../../src/db/schema.js';
import { seedAccount } from '../../helpers/seed.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';
import { graphql } from '../../gql/index.js';
import type { CreateVideoInput } from '../../gql/graphql.js';

let t: TestApp;
let viewer: TestViewer;

const Create = graphql(`
  mutation CreateVideo($input: CreateVideoInput!) {
    createVideo(input: $input) {
      video {
        id
        title
        description
        url
        tags
        status
        durationSeconds
        publishedAt
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);
const Update = graphql(`
  mutation UpdateVideo($input: UpdateVideoInput!) {
    updateVideo(input: $input) {
      video {
        id
        title
        url
        tags
      }
      userErrors {
        field
        code
      }
    }
  }
`);
const Publish = graphql(`
  mutation PublishVideo($input: PublishVideoInput!) {
    publishVideo(input: $input) {
      video {
        id
        status
        publishedAt
        publications {
          platform
          channel {
            platform
          }
        }
      }
      userErrors {
        field
        code
      }
    }
  }
`);
const Delete = graphql(`
  mutation DeleteVideo($input: DeleteVideoInput!) {
    deleteVideo(input: $input) {
      deletedVideoId
      userErrors {
        field
        code
      }
    }
  }
`);

const decodeId = (id: string) => Buffer.from(id, 'base64').toString().split(':')[1]!;

async function create(input: CreateVideoInput) {
  const response = await t.request(Create, { variables: { input } });
  expect(response.status).toBe(200);
  return response.body.data!.createVideo;
}

/** create(), for a video the test goes on with. */
async function created(input: CreateVideoInput) {
  const { video } = await create(input);
  return video!;
}

beforeAll(async () => {
  t = await startTestApp();
  viewer = await seedAccount(t, { channels: ['youtube', 'tiktok'] });
});
afterAll(() => t.close());

describe('createVideo', () => {
  it('creates a draft, normalizing tags, and stores it', async () => {
    const { video, userErrors } = await create({
      title: '  My first video ',
      url: 'https://media.example/v.mp4',
      tags: ['Vlog', 'vlog', 'Travel'],
      durationSeconds: 95,
    });
    expect(userErrors).toEqual([]);
    expect(video).toMatchObject({
      title: 'My first video',
      status: 'DRAFT',
      tags: ['vlog', 'travel'],
      durationSeconds: 95,
    });
    const [row] = await t.database.db
      .select()
      .from(videoTable)
      .where(eq(videoTable.id, decodeId(video!.id)));
    expect(row).toMatchObject({
      ownerId: viewer.userId,
      title: 'My first video',
      tags: ['vlog', 'travel'],
    });
  });

  it('reports every invalid field as a typed user error and stores nothing', async () => {
    const before = await t.database.db.select().from(videoTable);
    const { video, userErrors } = await create({
      title: ' ',
      description: 'x'.repeat(5001),
      url: 'ftp://media.example/v.mp4',
      durationSeconds: -1,
      tags: ['ok', 'y'.repeat(51)],
    });
    expect(video).toBeNull();
    const fields = userErrors.map((error) => error.field.join('.'));
    expect(fields).toEqual(
      expect.arrayContaining([
        'input.title',
        'input.description',
        'input.url',
        'input.durationSeconds',
        'input.tags.1',
      ]),
    );
    expect(userErrors.every((error) => error.code === 'INVALID')).toBe(true);
    expect(await t.database.db.select().from(videoTable)).toHaveLength(before.length);
  });

  it('rejects a malformed URL scalar with 400 before running', async () => {
    const response = await t.request(Create, {
      variables: { input: { title: 'x', url: 'not a url' } },
    });
    expect(response.status).toBe(400);
  });
});

describe('updateVideo', () => {
  it('changes given fields, clears nulls, keeps the rest', async () => {
    const video = await created({
      title: 'Before',
      url: 'https://media.example/a.mp4',
      tags: ['a'],
    });
    const response = await t.request(Update, {
      variables: { input: { id: video.id, title: 'After', url: null } },
    });
    expect(response.body.data!.updateVideo).toEqual({
      video: { id: video.id, title: 'After', url: null, tags: ['a'] },
      userErrors: [],
    });
  });

  it('returns NOT_FOUND for an unknown video', async () => {
    const ghost = Buffer.from('Video:00000000-0000-4000-8000-000000000000').toString('base64');
    const response = await t.request(Update, { variables: { input: { id: ghost, title: 'x' } } });
    expect(response.body.data!.updateVideo).toEqual({
      video: null,
      userErrors: [{ field: ['input', 'id'], code: 'NOT_FOUND' }],
    });
  });

  it('refuses a global id of another type with BAD_USER_INPUT', async () => {
    const userId = Buffer.from(`User:${viewer.userId}`).toString('base64');
    const response = await t.request(Update, { variables: { input: { id: userId, title: 'x' } } });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('publishVideo', () => {
  it('publishes on the channels of the named platforms, idempotently', async () => {
    const video = await created({ title: 'To publish', url: 'https://media.example/p.mp4' });
    const first = await t.request(Publish, {
      variables: { input: { id: video.id, platforms: ['YOUTUBE'] } },
    });
    expect(first.body.data!.publishVideo.userErrors).toEqual([]);
    const published = first.body.data!.publishVideo.video!;
    expect(published.status).toBe('PUBLISHED');
    expect(published.publications).toEqual([
      { platform: 'YOUTUBE', channel: { platform: 'YOUTUBE' } },
    ]);

    const again = await t.request(Publish, {
      variables: { input: { id: video.id, platforms: ['YOUTUBE', 'TIKTOK'] } },
    });
    const both = again.body.data!.publishVideo.video!;
    expect(both.publications.map((p) => p.platform).sort()).toEqual(['TIKTOK', 'YOUTUBE']);
    expect(both.publishedAt).toBe(published.publishedAt);
    const rows = await t.database.db
      .select()
      .from(publicationTable)
      .where(eq(publicationTable.videoId, decodeId(video.id)));
    expect(rows).toHaveLength(2);
  });

  it('reports platforms without a channel and publishes nothing', async () => {
    const video = await created({ title: 'No channel', url: 'https://media.example/n.mp4' });
    const response = await t.request(Publish, {
      variables: { input: { id: video.id, platforms: ['YOUTUBE', 'INSTAGRAM'] } },
    });
    expect(response.body.data!.publishVideo).toEqual({
      video: null,
      userErrors: [{ field: ['input', 'platforms', '1'], code: 'NO_CHANNEL' }],
    });
    const rows = await t.database.db
      .select()
      .from(publicationTable)
      .where(eq(publicationTable.videoId, decodeId(video.id)));
    expect(rows).toHaveLength(0);
  });

  it('needs a url, and refuses processing or failed videos', async () => {
    const video = await created({ title: 'No url' });
    const noUrl = await t.request(Publish, {
      variables: { input: { id: video.id, platforms: ['YOUTUBE'] } },
    });
    expect(noUrl.body.data!.publishVideo.userErrors[0]!.code).toBe('INVALID');
    await t.database.db
      .update(videoTable)
      .set({ status: 'processing', url: 'https://m.example/x.mp4' })
      .where(eq(videoTable.id, decodeId(video.id)));
    const processing = await t.request(Publish, {
      variables: { input: { id: video.id, platforms: ['YOUTUBE'] } },
    });
    expect(processing.body.data!.publishVideo.userErrors[0]!.code).toBe('INVALID_STATUS');
  });

  it('reports an empty platform list', async () => {
    const video = await created({ title: 'Empty', url: 'https://media.example/e.mp4' });
    const response = await t.request(Publish, {
      variables: { input: { id: video.id, platforms: [] } },
    });
    expect(response.body.data!.publishVideo.userErrors[0]).toEqual({
      field: ['input', 'platforms'],
      code: 'INVALID',
    });
  });
});

describe('deleteVideo', () => {
  it('deletes the video with its publications', async () => {
    const video = await created({ title: 'Doomed', url: 'https://media.example/d.mp4' });
    await t.request(Publish, { variables: { input: { id: video.id, platforms: ['YOUTUBE'] } } });
    const response = await t.request(Delete, { variables: { input: { id: video.id } } });
    expect(response.body.data!.deleteVideo).toEqual({ deletedVideoId: video.id, userErrors: [] });
    expect(
      await t.database.db
        .select()
        .from(videoTable)
        .where(eq(videoTable.id, decodeId(video.id))),
    ).toHaveLength(0);
    expect(
      await t.database.db
        .select()
        .from(publicationTable)
        .where(eq(publicationTable.videoId, decodeId(video.id))),
    ).toHaveLength(0);
    const again = await t.request(Delete, { variables: { input: { id: video.id } } });
    expect(again.body.data!.deleteVideo.userErrors[0]!.code).toBe('NOT_FOUND');
  });
});

describe('profile and settings', () => {
  it('updates the profile and refuses an email already in use', async () => {
    const other = await t.createViewer({ email: 'taken@pulse.test' });
    expect(other.userId).toBeTruthy();
    const ok = await t.request(
      graphql(`
        mutation UpdateProfile {
          updateProfile(input: { name: "Ada", timezone: "Europe/Paris", email: "ADA@pulse.test" }) {
            user {
              name
              timezone
              email
            }
            userErrors {
              code
            }
          }
        }
      `),
    );
    expect(ok.body.data!.updateProfile).toEqual({
      user: { name: 'Ada', timezone: 'Europe/Paris', email: 'ada@pulse.test' },
      userErrors: [],
    });
    const taken = await t.request(
      graphql(`
        mutation UpdateProfileToTakenEmail {
          updateProfile(input: { email: "Taken@pulse.test" }) {
            user {
              email
            }
            userErrors {
              field
              code
            }
          }
        }
      `),
    );
    expect(taken.body.data!.updateProfile).toEqual({
      user: null,
      userErrors: [{ field: ['input', 'email'], code: 'TAKEN' }],
    });
    const [row] = await t.database.db
      .select()
      .from(userTable)
      .where(eq(userTable.id, viewer.userId));
    expect(row!.email).toBe('ada@pulse.test');
  });

  it('refuses an unknown time zone and an empty name', async () => {
    const badZone = await t.request(
      graphql(`
        mutation UpdateProfileToUnknownZone {
          updateProfile(input: { timezone: "Mars/Olympus" }) {
            userErrors {
              code
            }
          }
        }
      `),
    );
    expect(badZone.status).toBe(400);
    const emptyName = await t.request(
      graphql(`
        mutation UpdateProfileToEmptyName {
          updateProfile(input: { name: "  " }) {
            user {
              name
            }
            userErrors {
              field
              code
            }
          }
        }
      `),
    );
    expect(emptyName.body.data!.updateProfile.userErrors).toEqual([
      { field: ['input', 'name'], code: 'INVALID' },
    ]);
  });

  it('merges settings, leaving the others untouched', async () => {
    const first = await t.request(
      graphql(`
        mutation UpdateSettingsTheme {
          updateSettings(input: { theme: DARK }) {
            user {
              settings {
                theme
                weeklyDigest
                emailNotifications
              }
            }
          }
        }
      `),
    );
    expect(first.body.data!.updateSettings.user!.settings).toEqual({
      theme: 'DARK',
      weeklyDigest: true,
      emailNotifications: true,
    });
    const second = await t.request(
      graphql(`
        mutation UpdateSettingsDigest {
          updateSettings(input: { weeklyDigest: false }) {
            user {
              settings {
                theme
                weeklyDigest
              }
            }
          }
        }
      `),
    );
    expect(second.body.data!.updateSettings.user!.settings).toEqual({
      theme: 'DARK',
      weeklyDigest: false,
    });
  });
});
