import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** What the capture transport keeps about a message beside its .eml (`<id>.json`). */
export interface CapturedMail {
  id: string;
  /** ISO 8601, when it was captured. */
  date: string;
  from: string;
  to: string[];
  subject: string;
  attachments: { filename: string; contentType: string; size: number }[];
}

/** Ids are ours (a timestamp and a random part): anything else is refused before it meets a path. */
const ID = /^[A-Za-z0-9-]{1,100}$/;

export const isCapturedMailId = (id: string) => ID.test(id);

let lastCaptured = 0;
/** Capture times strictly increase within a process, so "newest first" is exact even within a ms. */
function nextCaptureDate(now: Date): Date {
  lastCaptured = Math.max(now.getTime(), lastCaptured + 1);
  return new Date(lastCaptured);
}

const newId = (date: Date) =>
  `${date.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;

const isMissing = (error: unknown) =>
  error instanceof Error && 'code' in error && error.code === 'ENOENT';

/** Written whole or not at all: a reader never sees half a file. */
async function writeAtomically(path: string, content: string | Buffer) {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, content);
  await rename(temp, path);
}

/**
 * Stores one message as `<id>.eml` and `<id>.json` in `dir`. The .json is written last, and the
 * list reads only .json files, so a listed message always has its .eml.
 */
export async function writeCapturedMail(
  dir: string,
  meta: Omit<CapturedMail, 'id' | 'date'>,
  eml: Buffer,
  now = new Date(),
): Promise<{ meta: CapturedMail; path: string }> {
  await mkdir(dir, { recursive: true });
  const date = nextCaptureDate(now);
  const captured: CapturedMail = { id: newId(date), date: date.toISOString(), ...meta };
  const path = resolve(dir, `${captured.id}.eml`);
  await writeAtomically(path, eml);
  await writeAtomically(join(dir, `${captured.id}.json`), `${JSON.stringify(captured, null, 2)}\n`);
  return { meta: captured, path };
}

function parseMeta(text: string): CapturedMail | null {
  try {
    const meta = JSON.parse(text) as Partial<CapturedMail>;
    if (typeof meta.id !== 'string' || !ID.test(meta.id) || typeof meta.date !== 'string')
      return null;
    return {
      id: meta.id,
      date: meta.date,
      from: String(meta.from ?? ''),
      to: Array.isArray(meta.to) ? meta.to.map(String) : [],
      subject: String(meta.subject ?? ''),
      attachments: Array.isArray(meta.attachments) ? meta.attachments : [],
    };
  } catch {
    return null;
  }
}

/** Every captured message in `dir`, newest first; none when the folder does not exist yet. */
export async function listCapturedMail(dir: string): Promise<CapturedMail[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const metas = await Promise.all(
    names
      .filter((name) => name.endsWith('.json') && ID.test(name.slice(0, -'.json'.length)))
      .map(async (name) => {
        try {
          return parseMeta(await readFile(join(dir, name), 'utf8'));
        } catch (error) {
          if (isMissing(error)) return null; // removed while listing
          throw error;
        }
      }),
  );
  return metas
    .filter((meta): meta is CapturedMail => meta !== null)
    .sort((a, b) => b.date.localeCompare(a.date) || b.id.localeCompare(a.id));
}

/** One captured message with its raw source, or null when there is none with that id. */
export async function readCapturedMail(
  dir: string,
  id: string,
): Promise<{ meta: CapturedMail; eml: string } | null> {
  if (typeof id !== 'string' || !ID.test(id)) return null;
  try {
    const [metaText, eml] = await Promise.all([
      readFile(join(dir, `${id}.json`), 'utf8'),
      readFile(join(dir, `${id}.eml`), 'utf8'),
    ]);
    const meta = parseMeta(metaText);
    return meta ? { meta, eml } : null;
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}
