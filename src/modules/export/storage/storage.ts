import type { Readable } from 'node:stream';

export interface StoredFile {
  bytes: number;
}

export interface StoredFileMeta {
  contentType: string;
  fileName: string;
}

/** Where export files live: the local filesystem (default) or an S3-compatible bucket. */
export interface ExportStorage {
  readonly kind: 'local' | 's3';
  /**
   * Streams body to `key`. Nothing is visible at `key` unless the whole body arrived: local writes
   * a temp file and renames it; S3 spools to a temp file, then uploads one complete object. On
   * error (the body stream errors or is destroyed) leftovers are removed and the error rethrown.
   */
  put(key: string, body: Readable, meta: StoredFileMeta): Promise<StoredFile>;
  /** The file's bytes as a stream; throws StorageNotFoundError when missing. */
  open(key: string): Promise<{ body: Readable; bytes: number; contentType: string }>;
  /**
   * S3: a presigned GET URL valid until expiresAt (at most 7 days ahead, S3's limit: later
   * times are clamped), answering with `Content-Disposition: attachment; filename=…`.
   * Local: null (Pulse serves the file itself, behind its own signed link).
   */
  presignedUrl(
    key: string,
    options: { expiresAt: Date; fileName: string; contentType: string },
  ): Promise<string | null>;
  /** Removes the file; no error when it is already gone. */
  delete(key: string): Promise<void>;
  /** Keys starting with `prefix` (a plain string prefix, as in S3), for retention sweeps. */
  list(prefix: string): AsyncIterable<{ key: string; modifiedAt: Date }>;
}

export class StorageNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No stored export file at "${key}"`);
    this.name = 'StorageNotFoundError';
  }
}

/** A key (or list prefix) that could escape the storage root or is otherwise unusable. */
export class InvalidStorageKeyError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`Invalid storage key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidStorageKeyError';
  }
}

/** Longest key accepted: S3 allows 1024 bytes, and the S3 prefix takes its share of that. */
const MAX_KEY_BYTES = 768;

/**
 * Keys are relative, `/`-separated paths such as `exports/<id>/report.csv`, the same for both
 * drivers. Segments starting with `.` are refused: that rules out `.` and `..` (traversal) and
 * leaves dot names to the local driver's temp and metadata files.
 */
export function assertValidKey(key: string): void {
  checkPath(key, false);
}

/** A list prefix: like a key, but may be empty or end with `/` or a partial segment. */
export function assertValidPrefix(prefix: string): void {
  checkPath(prefix, true);
}

function checkPath(value: string, isPrefix: boolean): void {
  if (typeof value !== 'string') throw new InvalidStorageKeyError(String(value), 'not a string');
  if (value === '') {
    if (isPrefix) return;
    throw new InvalidStorageKeyError(value, 'empty');
  }
  if (Buffer.byteLength(value) > MAX_KEY_BYTES)
    throw new InvalidStorageKeyError(value, `longer than ${MAX_KEY_BYTES} bytes`);
  // Control characters (NUL above all) have no business in a file name or an object key.
  if (/[\u0000-\u001f\u007f]/.test(value))
    throw new InvalidStorageKeyError(value, 'contains a control character');
  if (value.includes('\\')) throw new InvalidStorageKeyError(value, 'contains a backslash');
  if (value.startsWith('/') || /^[A-Za-z]:/.test(value))
    throw new InvalidStorageKeyError(value, 'must be relative');
  const segments = value.split('/');
  // A prefix may end with "/" (a folder) — its last, empty segment is fine.
  const checked = isPrefix && segments.at(-1) === '' ? segments.slice(0, -1) : segments;
  for (const segment of checked) {
    if (segment === '') throw new InvalidStorageKeyError(value, 'has an empty path segment');
    if (segment.startsWith('.'))
      throw new InvalidStorageKeyError(value, 'a path segment starts with "."');
  }
}

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): an ASCII fallback for old clients,
 * the exact UTF-8 name for the rest. Also what Pulse's own download route should send.
 */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_') || 'download';
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
