import { randomBytes } from 'node:crypto';
import {
  mkdir,
  open,
  opendir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import {
  assertValidKey,
  assertValidPrefix,
  InvalidStorageKeyError,
  StorageNotFoundError,
  type ExportStorage,
  type StoredFileMeta,
} from './storage.js';

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

const isMissing = (error: unknown) =>
  error instanceof Error &&
  'code' in error &&
  (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'EISDIR');

/**
 * Files under `dir`, one per key (`exports/<id>/report.csv` → `<dir>/exports/<id>/report.csv`).
 * Each file has its metadata beside it in `.<name>.meta.json`; dot names are never keys, so
 * listing skips them, and temp files (`.<name>.<random>.tmp`) with them.
 */
export function createLocalStorage(options: { dir: string }, logger: Logger): ExportStorage {
  const root = resolve(options.dir);

  const pathOf = (key: string) => {
    assertValidKey(key);
    const path = join(root, ...key.split('/'));
    const inside = relative(root, path);
    // Belt and braces: assertValidKey already refuses every way out of the root.
    if (!inside || inside.startsWith('..') || isAbsolute(inside))
      throw new InvalidStorageKeyError(key, 'resolves outside the storage directory');
    return path;
  };
  const metaPathOf = (path: string) => join(dirname(path), `.${basename(path)}.meta.json`);

  /** Creates the temp file, recreating its folder if a delete pruned it in the meantime. */
  async function createTemp(path: string): Promise<{ handle: FileHandle; tempPath: string }> {
    const tempPath = join(
      dirname(path),
      `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`,
    );
    for (let attempt = 0; ; attempt++) {
      await mkdir(dirname(path), { recursive: true });
      try {
        return { handle: await open(tempPath, 'wx'), tempPath };
      } catch (error) {
        if (attempt < 2 && isMissing(error)) continue;
        throw error;
      }
    }
  }

  async function readMeta(path: string): Promise<Partial<StoredFileMeta>> {
    try {
      return JSON.parse(await readFile(metaPathOf(path), 'utf8')) as Partial<StoredFileMeta>;
    } catch {
      return {};
    }
  }

  /** Removes folders left empty by a delete, up to (not including) the root. */
  async function pruneEmptyParents(path: string) {
    for (let dir = dirname(path); dir !== root && dir.startsWith(root); dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return; // not empty (or already gone): the folders above are not empty either
      }
    }
  }

  async function* walk(
    relativeDir: string,
    prefix: string,
  ): AsyncGenerator<{ key: string; modifiedAt: Date }> {
    let dir;
    try {
      dir = await opendir(relativeDir ? join(root, ...relativeDir.split('/')) : root);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for await (const entry of dir) {
      if (entry.name.startsWith('.')) continue;
      const key = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        const folder = `${key}/`;
        if (folder.startsWith(prefix) || prefix.startsWith(folder)) yield* walk(key, prefix);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        try {
          const { mtime } = await stat(join(root, ...key.split('/')));
          yield { key, modifiedAt: mtime };
        } catch (error) {
          if (!isMissing(error)) throw error; // deleted while listing
        }
      }
    }
  }

  return {
    kind: 'local',

    async put(key: string, body: Readable, meta: StoredFileMeta) {
      const path = pathOf(key);
      const metaPath = metaPathOf(path);
      const { handle, tempPath } = await createTemp(path);
      const metaTemp = `${tempPath}.meta`;
      try {
        // flush: on disk before the rename makes it visible, so a crash never leaves a short file
        // at `key`. The stream closes the handle when done.
        await pipeline(body, handle.createWriteStream({ flush: true }));
        const { size } = await stat(tempPath);
        const stored: StoredFileMeta = { contentType: meta.contentType, fileName: meta.fileName };
        await writeFile(metaTemp, JSON.stringify(stored));
        await rename(metaTemp, metaPath);
        await rename(tempPath, path);
        return { bytes: size };
      } catch (error) {
        await handle.close().catch(() => {});
        await Promise.all([rm(tempPath, { force: true }), rm(metaTemp, { force: true })]).catch(
          (cleanupError: unknown) =>
            logger.warn(
              { err: cleanupError, path: tempPath },
              'could not remove a partial export file',
            ),
        );
        throw error;
      }
    },

    async open(key: string) {
      const path = pathOf(key);
      let handle: FileHandle;
      try {
        handle = await open(path, 'r');
      } catch (error) {
        if (isMissing(error)) throw new StorageNotFoundError(key);
        throw error;
      }
      const info = await handle.stat();
      if (!info.isFile()) {
        await handle.close();
        throw new StorageNotFoundError(key);
      }
      const meta = await readMeta(path);
      return {
        body: handle.createReadStream(),
        bytes: info.size,
        contentType: meta.contentType ?? DEFAULT_CONTENT_TYPE,
      };
    },

    async presignedUrl(key: string) {
      pathOf(key);
      return null;
    },

    async delete(key: string) {
      const path = pathOf(key);
      await rm(path, { force: true });
      await rm(metaPathOf(path), { force: true });
      await pruneEmptyParents(path);
    },

    async *list(prefix: string) {
      assertValidPrefix(prefix);
      const slash = prefix.lastIndexOf('/');
      yield* walk(slash === -1 ? '' : prefix.slice(0, slash), prefix);
    },
  };
}
