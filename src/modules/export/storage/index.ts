import type { Logger } from 'pino';
import type { Config } from '../../../env.js';
import { createLocalStorage } from './local.js';
import { createS3Storage, type S3StorageOptions } from './s3.js';
import type { ExportStorage } from './storage.js';

export {
  assertValidKey,
  attachmentDisposition,
  InvalidStorageKeyError,
  StorageNotFoundError,
  type ExportStorage,
  type StoredFile,
  type StoredFileMeta,
} from './storage.js';
export { ExportStorageError, MAX_PRESIGN_SECONDS } from './s3.js';

/** The configured driver: `EXPORT_STORAGE=local` (default, under `EXPORT_DIR`) or `s3`. */
export function createExportStorage(
  config: Config['exports']['storage'],
  logger: Logger,
  options: S3StorageOptions = {},
): ExportStorage {
  const child = logger.child({ component: 'export-storage', driver: config.kind });
  return config.kind === 's3'
    ? createS3Storage(config, child, options)
    : createLocalStorage(config, child);
}
