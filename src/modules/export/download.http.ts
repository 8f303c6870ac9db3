import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import type { Plugin } from 'graphql-yoga';
import { exportTable } from '../../db/schema.js';
import { isDatabaseUnavailable } from '../../db/errors.js';
import { databaseUnavailable, problemFromError, problemResponse } from '../../errors.js';
import { verifyLink } from '../../lib/signed-link.js';
import type { ExportServices } from './export.services.js';
import { attachmentDisposition, StorageNotFoundError } from './storage/index.js';

const DOWNLOAD_PATH = /^\/exports\/([0-9a-f-]{36})\/download$/i;

/**
 * GET /exports/<id>/download?expires=…&signature=… — a signed link, no credentials: anyone
 * holding an unexpired, unrevoked link gets the file (the link is the capability), nobody else.
 * A bad signature is 403; an expired or revoked link, or a deleted file, is 410.
 */
async function download(request: Request, url: URL, exports: ExportServices): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return problemResponse(405, 'METHOD_NOT_ALLOWED', 'Use GET.', { allow: 'GET, HEAD' });
  const id = DOWNLOAD_PATH.exec(url.pathname)![1]!.toLowerCase();
  const check = verifyLink(
    `export:${id}`,
    url.searchParams.get('expires') ?? '',
    url.searchParams.get('signature') ?? '',
    exports.settings.signingKeys,
  );
  if (check === 'invalid')
    return problemResponse(403, 'FORBIDDEN', 'This download link is not valid.');
  if (check === 'expired')
    return problemResponse(
      410,
      'LINK_EXPIRED',
      'This download link has expired; ask for a new one.',
    );
  const [record] = await exports.db.select().from(exportTable).where(eq(exportTable.id, id));
  if (!record || record.status !== 'succeeded')
    return problemResponse(404, 'NOT_FOUND', 'No such export file.');
  if (record.revokedAt)
    return problemResponse(410, 'LINK_REVOKED', 'The links of this export were revoked.');
  if (!record.storageKey || (record.expiresAt && record.expiresAt <= new Date()))
    return problemResponse(
      410,
      'FILE_EXPIRED',
      'This export file was deleted after its retention.',
    );
  const headers = {
    'content-type': record.contentType ?? 'application/octet-stream',
    'content-disposition': attachmentDisposition(record.fileName ?? 'export'),
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  };
  const expires = Number(url.searchParams.get('expires')) * 1000;
  const presigned = await exports.storage.presignedUrl(record.storageKey, {
    expiresAt: new Date(Math.min(expires, record.expiresAt?.getTime() ?? expires)),
    fileName: record.fileName ?? 'export',
    contentType: headers['content-type'],
  });
  if (presigned)
    return new Response(null, {
      status: 302,
      headers: { location: presigned, 'cache-control': 'no-store' },
    });
  try {
    const file = await exports.storage.open(record.storageKey);
    const length = { 'content-length': String(file.bytes) };
    if (request.method === 'HEAD') {
      file.body.destroy();
      return new Response(null, { status: 200, headers: { ...headers, ...length } });
    }
    return new Response(Readable.toWeb(file.body) as ReadableStream, {
      status: 200,
      headers: { ...headers, ...length },
    });
  } catch (error) {
    if (error instanceof StorageNotFoundError)
      return problemResponse(410, 'FILE_EXPIRED', 'This export file is no longer stored.');
    throw error;
  }
}

/** Serves export downloads through the same handler as GraphQL (so in-process fetch works too). */
export function useExportDownloads(exports: ExportServices): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (!DOWNLOAD_PATH.test(url.pathname)) return;
      return download(request, url, exports).then(endResponse, (error: unknown) => {
        if (isDatabaseUnavailable(error))
          return endResponse(problemFromError(databaseUnavailable()));
        exports.logger.error({ err: error }, 'export download failed');
        endResponse(problemResponse(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.'));
      });
    },
  };
}
