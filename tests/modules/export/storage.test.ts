import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { S3rver, type S3rverServer } from '../../helpers/s3rver.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/env.js';
import {
  createExportStorage,
  InvalidStorageKeyError,
  StorageNotFoundError,
  type ExportStorage,
} from '../../../src/modules/export/storage/index.js';

const logger = pino({ level: 'silent' });
const MB = 1024 * 1024;
const CSV = { contentType: 'text/csv; charset=utf-8', fileName: 'report.csv' };

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `bytes` streamed in 64 KiB chunks. */
const streamOf = (bytes: Buffer) =>
  Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
    })(),
  );

/** Two megabytes, then an error: an export that dies half way. */
const failingBody = () =>
  Readable.from(
    (async function* () {
      yield Buffer.alloc(MB, 1);
      yield Buffer.alloc(MB, 2);
      throw new Error('the export query failed');
    })(),
  );

async function keys(storage: ExportStorage, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of storage.list(prefix)) found.push(entry.key);
  return found.sort();
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

const BAD_KEYS = [
  '../../etc/passwd',
  '../outside.csv',
  'exports/../../escape.csv',
  '/etc/passwd',
  'C:/windows/system.ini',
  'exports\\..\\x.csv',
  'a\0b.csv',
  'a\nb.csv',
  '',
  'a//b.csv',
  'exports/',
  './a.csv',
  'exports/.hidden',
];

/** What every driver must do; `leftovers` lists files a driver may have left behind. */
function storageContract(
  setup: () => { storage: ExportStorage; leftovers: () => Promise<string[]> },
) {
  it('round-trips a multi-megabyte stream: bytes, length and content type', async () => {
    const { storage } = setup();
    const bytes = randomBytes(5 * MB + 123);
    const stored = await storage.put('exports/e1/report.csv', streamOf(bytes), CSV);
    expect(stored).toEqual({ bytes: bytes.length });
    const opened = await storage.open('exports/e1/report.csv');
    expect(opened.bytes).toBe(bytes.length);
    expect(opened.contentType).toBe(CSV.contentType);
    expect((await readAll(opened.body)).equals(bytes)).toBe(true);
  });

  it('shows nothing at the key until the whole body arrived', async () => {
    const { storage } = setup();
    const body = new PassThrough();
    const putting = storage.put('exports/slow/report.csv', body, CSV);
    // 'drain' means the driver has read the first megabyte (into its temp or spool file).
    if (!body.write(Buffer.alloc(MB, 7))) await once(body, 'drain');
    await expect(storage.open('exports/slow/report.csv')).rejects.toBeInstanceOf(
      StorageNotFoundError,
    );
    expect(await keys(storage, 'exports/slow/')).toEqual([]);
    body.end(Buffer.alloc(MB, 8));
    expect(await putting).toEqual({ bytes: 2 * MB });
    expect(await keys(storage, 'exports/slow/')).toEqual(['exports/slow/report.csv']);
  });

  it('a body that fails half way leaves no object and no leftovers, and the error comes through', async () => {
    const { storage, leftovers } = setup();
    await expect(storage.put('exports/broken/report.csv', failingBody(), CSV)).rejects.toThrow(
      'the export query failed',
    );
    await expect(storage.open('exports/broken/report.csv')).rejects.toBeInstanceOf(
      StorageNotFoundError,
    );
    expect(await keys(storage, 'exports/broken/')).toEqual([]);
    expect(await leftovers()).toEqual([]);
  });

  it('a failed rewrite keeps the previous complete file', async () => {
    const { storage } = setup();
    await storage.put('exports/again/report.csv', streamOf(Buffer.from('a,b\n1,2\n')), CSV);
    await expect(storage.put('exports/again/report.csv', failingBody(), CSV)).rejects.toThrow();
    const opened = await storage.open('exports/again/report.csv');
    expect((await readAll(opened.body)).toString()).toBe('a,b\n1,2\n');
  });

  it('open of a missing key throws StorageNotFoundError', async () => {
    const { storage } = setup();
    const error = await storage.open('exports/none/report.csv').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageNotFoundError);
    expect((error as StorageNotFoundError).key).toBe('exports/none/report.csv');
  });

  it('delete removes the file and is idempotent', async () => {
    const { storage } = setup();
    await storage.put('exports/gone/report.csv', streamOf(Buffer.from('x')), CSV);
    await storage.delete('exports/gone/report.csv');
    await expect(storage.open('exports/gone/report.csv')).rejects.toBeInstanceOf(
      StorageNotFoundError,
    );
    await storage.delete('exports/gone/report.csv');
    await storage.delete('exports/never/report.csv');
    expect(await keys(storage, 'exports/gone/')).toEqual([]);
  });

  it('lists keys under a prefix with their modification time', async () => {
    const { storage } = setup();
    const before = Date.now();
    for (const key of ['list/a/1/x.csv', 'list/a/2/y.json', 'list/ab/z.csv', 'list/b/w.pdf'])
      await storage.put(key, streamOf(Buffer.from(key)), CSV);
    expect(await keys(storage, 'list/')).toEqual([
      'list/a/1/x.csv',
      'list/a/2/y.json',
      'list/ab/z.csv',
      'list/b/w.pdf',
    ]);
    expect(await keys(storage, 'list/a/')).toEqual(['list/a/1/x.csv', 'list/a/2/y.json']);
    // A plain string prefix, as in S3: "list/a" also matches "list/ab/…".
    expect(await keys(storage, 'list/a')).toEqual([
      'list/a/1/x.csv',
      'list/a/2/y.json',
      'list/ab/z.csv',
    ]);
    expect(await keys(storage, 'list/a/1/x')).toEqual(['list/a/1/x.csv']);
    expect(await keys(storage, 'list/none/')).toEqual([]);
    expect(await keys(storage)).toEqual(expect.arrayContaining(['list/b/w.pdf']));
    for await (const { modifiedAt } of storage.list('list/')) {
      expect(modifiedAt).toBeInstanceOf(Date);
      // Whole seconds on S3, and clocks of one machine: a generous window, not a timing check.
      expect(modifiedAt.getTime()).toBeGreaterThan(before - 5000);
      expect(modifiedAt.getTime()).toBeLessThan(Date.now() + 5000);
    }
  });

  it('refuses keys that could leave the storage (path traversal, absolute, NUL, dot segments)', async () => {
    const { storage } = setup();
    for (const key of BAD_KEYS) {
      await expect(storage.put(key, streamOf(Buffer.from('x')), CSV), key).rejects.toBeInstanceOf(
        InvalidStorageKeyError,
      );
      await expect(storage.open(key), key).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.delete(key), key).rejects.toBeInstanceOf(InvalidStorageKeyError);
    }
    await expect(keys(storage, '../')).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(keys(storage, '/etc')).rejects.toBeInstanceOf(InvalidStorageKeyError);
  });
}

describe('local storage', () => {
  let dir: string;
  let storage: ExportStorage;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-local-storage-'));
    storage = createExportStorage(
      loadConfig({ NODE_ENV: 'test', EXPORT_DIR: join(dir, 'exports') }).exports.storage,
      logger,
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  storageContract(() => ({
    storage,
    // Only the complete files of other tests (and their .meta.json) may be there: no temp files.
    leftovers: async () =>
      (await filesUnder(join(dir, 'exports'))).filter((name) => name.endsWith('.tmp')),
  }));

  it('is the default driver, under ./.data/exports', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).exports.storage).toEqual({
      kind: 'local',
      dir: './.data/exports',
    });
    expect(storage.kind).toBe('local');
  });

  it('has no presigned URLs: Pulse serves local files itself', async () => {
    await storage.put('exports/p/report.csv', streamOf(Buffer.from('x')), CSV);
    const options = { expiresAt: new Date(Date.now() + 60_000), ...CSV };
    expect(await storage.presignedUrl('exports/p/report.csv', options)).toBeNull();
  });

  it('writes inside its folder only, and prunes folders a delete left empty', async () => {
    const outside = await filesUnder(dir);
    await expect(
      storage.put('../../etc/passwd', streamOf(Buffer.from('root::0:0')), CSV),
    ).rejects.toThrow(/Invalid storage key "..\/..\/etc\/passwd"/);
    expect(await filesUnder(dir)).toEqual(outside);
    await storage.put('prune/one/report.csv', streamOf(Buffer.from('x')), CSV);
    await storage.delete('prune/one/report.csv');
    expect(await readdir(join(dir, 'exports'))).not.toContain('prune');
  });
});

describe('S3 storage (s3rver)', () => {
  let work: string;
  let server: S3rverServer;
  let endpoint: string;
  let storage: ExportStorage;
  let previousTmp: string | undefined;
  const s3Env = () => ({
    NODE_ENV: 'test',
    EXPORT_STORAGE: 's3',
    S3_ENDPOINT: endpoint,
    S3_BUCKET: 'pulse-test',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
  });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pulse-s3-storage-'));
    server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: join(work, 's3rver'),
      configureBuckets: [{ name: 'pulse-test' }],
    });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
    // The driver spools uploads under os.tmpdir(), which follows TMPDIR: watch a folder of ours.
    previousTmp = process.env['TMPDIR'];
    process.env['TMPDIR'] = join(work, 'spool');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(work, 'spool')));
    storage = createExportStorage(loadConfig(s3Env()).exports.storage, logger);
  });
  afterAll(async () => {
    if (previousTmp === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previousTmp;
    await server?.close();
    await rm(work, { recursive: true, force: true });
  });

  storageContract(() => ({ storage, leftovers: () => filesUnder(join(work, 'spool')) }));

  it('reads its settings: path style by default with an endpoint, region us-east-1', () => {
    expect(loadConfig({ ...s3Env(), S3_PREFIX: 'pulse' }).exports.storage).toEqual({
      kind: 's3',
      endpoint,
      region: 'us-east-1',
      bucket: 'pulse-test',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      prefix: 'pulse/',
    });
    expect(() => loadConfig({ NODE_ENV: 'test', EXPORT_STORAGE: 's3' })).toThrow(
      /S3_BUCKET: required when EXPORT_STORAGE=s3/,
    );
    expect(() =>
      loadConfig({ NODE_ENV: 'test', EXPORT_STORAGE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k' }),
    ).toThrow(/give both, or neither/);
    expect(storage.kind).toBe('s3');
  });

  it('a presigned URL downloads with plain fetch (no credentials), as an attachment', async () => {
    const bytes = randomBytes(300_000);
    await storage.put('exports/link/report.csv', streamOf(bytes), CSV);
    const url = await storage.presignedUrl('exports/link/report.csv', {
      expiresAt: new Date(Date.now() + 3600_000),
      fileName: 'Rapport été "final".csv',
      contentType: 'text/csv; charset=utf-8',
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pulse-test\/exports\/link\/report\.csv\?/);
    expect(new URL(url!).searchParams.get('X-Amz-Expires')).toBe('3600');
    const response = await fetch(url!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Rapport _t_ _final_.csv"; filename*=UTF-8''Rapport%20%C3%A9t%C3%A9%20%22final%22.csv`,
    );
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('an expired presigned URL is refused', async () => {
    await storage.put('exports/old/report.csv', streamOf(Buffer.from('a,b\n')), CSV);
    // Signed an hour ago for a minute: expired now, without waiting for it.
    const anHourAgo = new Date(Date.now() - 3600_000);
    const signedEarlier = createExportStorage(loadConfig(s3Env()).exports.storage, logger, {
      now: () => anHourAgo,
    });
    const url = await signedEarlier.presignedUrl('exports/old/report.csv', {
      expiresAt: new Date(anHourAgo.getTime() + 60_000),
      ...CSV,
    });
    const response = await fetch(url!);
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/Request has expired/);
  });

  it('clamps presigned URLs to 7 days (S3 refuses longer) and refuses a past expiry', async () => {
    const url = await storage.presignedUrl('exports/link/report.csv', {
      expiresAt: new Date(Date.now() + 30 * 86_400_000),
      ...CSV,
    });
    expect(new URL(url!).searchParams.get('X-Amz-Expires')).toBe(String(7 * 86_400));
    expect((await fetch(url!)).status).toBe(200);
    await expect(
      storage.presignedUrl('exports/link/report.csv', {
        expiresAt: new Date(Date.now() - 1000),
        ...CSV,
      }),
    ).rejects.toThrow(/has passed/);
  });

  it('S3_PREFIX puts every object under the prefix, and keys come back without it', async () => {
    const prefixed = createExportStorage(
      loadConfig({ ...s3Env(), S3_PREFIX: 'tenant-1' }).exports.storage,
      logger,
    );
    await prefixed.put('exports/p1/report.csv', streamOf(Buffer.from('p')), CSV);
    expect(await keys(prefixed, 'exports/p1/')).toEqual(['exports/p1/report.csv']);
    expect(await keys(storage, 'tenant-1/')).toEqual(['tenant-1/exports/p1/report.csv']);
    await expect(storage.open('exports/p1/report.csv')).rejects.toBeInstanceOf(
      StorageNotFoundError,
    );
    await prefixed.delete('exports/p1/report.csv');
    expect(await keys(storage, 'tenant-1/')).toEqual([]);
  });
});
