import { rename, readFile, writeFile } from 'node:fs/promises';
import type { Db } from '../../db/client.js';
import { createApiKey, findActiveApiKey, revokeApiKeysNamed } from '../api-key/api-key.service.js';

/**
 * The demo key kept in a file of the data directory, so open GraphiQL tabs, dashboards and shells
 * keep working across restarts. Keys are stored hashed, so the clear key lives only in that file
 * (mode 0600, deleted with the directory). A stored key that no longer works (revoked, disabled,
 * or from another database) is replaced by a fresh one.
 */
export async function storedDemoKey(
  db: Db,
  ownerId: string,
  file: string,
  name: string,
): Promise<string> {
  const stored = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (stored) {
    const found = await findActiveApiKey(db, stored);
    if (found?.user.id === ownerId) return stored;
  }
  await revokeApiKeysNamed(db, ownerId, name);
  const { secret } = await createApiKey(db, { ownerId, name });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${secret}\n`, { mode: 0o600 });
  await rename(temporary, file);
  return secret;
}
