import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Logger } from 'pino';
import type { S3StorageConfig } from '../../../env.js';
import {
  assertValidKey,
  assertValidPrefix,
  attachmentDisposition,
  StorageNotFoundError,
  type ExportStorage,
  type StoredFileMeta,
} from './storage.js';

/** S3 refuses presigned URLs valid for longer than 7 days (SigV4 `X-Amz-Expires` ≤ 604800). */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
/** The largest single PutObject S3 accepts. */
const MAX_PUT_BYTES = 5 * 1024 ** 3;

/** An S3 call that failed for another reason than a missing object (network, auth, bucket). */
export class ExportStorageError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'ExportStorageError';
  }
}

const isNotFound = (error: unknown) =>
  error instanceof Error &&
  (error.name === 'NoSuchKey' ||
    error.name === 'NotFound' ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404);

export interface S3StorageOptions {
  /** The clock presigned URLs are signed with (tests sign in the past to get expired links). */
  now?: () => Date;
}

/**
 * An S3-compatible bucket. Uploads spool the body to a temp file under the OS temp directory
 * first, then send one PutObject with its length: S3 only ever shows complete objects, a body
 * that fails half way never reaches the bucket, and no multipart upload is left to abort.
 */
export function createS3Storage(
  config: S3StorageConfig,
  logger: Logger,
  options: S3StorageOptions = {},
): ExportStorage {
  const now = options.now ?? (() => new Date());
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    ...(config.accessKeyId && config.secretAccessKey
      ? {
          credentials: {
            accessKeyId: config.accessKeyId,
            secretAccessKey: config.secretAccessKey,
          },
        }
      : {}),
    // The SDK's default CRC32 trailers (aws-chunked bodies) are not understood by every
    // S3-compatible server; checksums only where S3 requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const bucket = config.bucket;
  const objectKey = (key: string) => {
    assertValidKey(key);
    return `${config.prefix}${key}`;
  };
  const where = (key: string) => `s3://${bucket}/${config.prefix}${key}`;

  async function send<T>(what: string, key: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isNotFound(error)) throw new StorageNotFoundError(key);
      const reason = error instanceof Error ? error.message : String(error);
      throw new ExportStorageError(`S3 ${what} ${where(key)} failed: ${reason}`, { cause: error });
    }
  }

  return {
    kind: 's3',

    async put(key: string, body: Readable, meta: StoredFileMeta) {
      const Key = objectKey(key);
      const spool = await mkdtemp(join(tmpdir(), 'pulse-export-'));
      try {
        const file = join(spool, 'body');
        await pipeline(body, createWriteStream(file));
        const { size } = await stat(file);
        if (size > MAX_PUT_BYTES)
          throw new ExportStorageError(`${where(key)}: ${size} bytes is over S3's 5 GiB limit`, {
            cause: undefined,
          });
        await send('PutObject', key, () =>
          client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key,
              Body: createReadStream(file),
              ContentLength: size,
              ContentType: meta.contentType,
              ContentDisposition: attachmentDisposition(meta.fileName),
            }),
          ),
        );
        return { bytes: size };
      } finally {
        await rm(spool, { recursive: true, force: true }).catch((error: unknown) =>
          logger.warn({ err: error, path: spool }, 'could not remove an export spool file'),
        );
      }
    },

    async open(key: string) {
      const Key = objectKey(key);
      const answer = await send('GetObject', key, () =>
        client.send(new GetObjectCommand({ Bucket: bucket, Key })),
      );
      if (!answer.Body) throw new StorageNotFoundError(key);
      return {
        // In Node the SDK's body is the HTTP response, a Readable.
        body: answer.Body as Readable,
        bytes: answer.ContentLength ?? 0,
        contentType: answer.ContentType ?? 'application/octet-stream',
      };
    },

    async presignedUrl(key: string, { expiresAt, fileName, contentType }) {
      const Key = objectKey(key);
      const signingDate = now();
      const seconds = Math.ceil((expiresAt.getTime() - signingDate.getTime()) / 1000);
      if (!(seconds > 0))
        throw new RangeError(`presignedUrl: expiresAt (${expiresAt.toISOString()}) has passed`);
      return getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: bucket,
          Key,
          ResponseContentDisposition: attachmentDisposition(fileName),
          ResponseContentType: contentType,
        }),
        { expiresIn: Math.min(seconds, MAX_PRESIGN_SECONDS), signingDate },
      );
    },

    async delete(key: string) {
      const Key = objectKey(key);
      try {
        await send('DeleteObject', key, () =>
          client.send(new DeleteObjectCommand({ Bucket: bucket, Key })),
        );
      } catch (error) {
        if (!(error instanceof StorageNotFoundError)) throw error;
      }
    },

    async *list(prefix: string) {
      assertValidPrefix(prefix);
      let ContinuationToken: string | undefined;
      do {
        const page = await send('ListObjectsV2', prefix, () =>
          client.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: `${config.prefix}${prefix}`,
              ...(ContinuationToken ? { ContinuationToken } : {}),
            }),
          ),
        );
        for (const object of page.Contents ?? []) {
          if (!object.Key) continue;
          yield {
            key: object.Key.slice(config.prefix.length),
            modifiedAt: object.LastModified ?? new Date(0),
          };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
  };
}
