import { readFileSync } from 'node:fs';
import type { Plugin } from 'graphql-yoga';
import type { ProtectionConfig } from '../../env.js';
import { persistedQueryNotFound } from './limit-errors.js';

/**
 * The known documents: a manifest `{ "<hash>": "<document>" }`, as graphql-codegen's
 * client-preset writes with `persistedDocuments: true` (client/src/gql/persisted-documents.json).
 */
export class PersistedDocuments {
  private readonly byId: ReadonlyMap<string, string>;
  private readonly texts: ReadonlySet<string>;

  constructor(readonly config: ProtectionConfig['persistedDocuments']) {
    this.byId = config.path ? readManifest(config.path) : new Map();
    this.texts = new Set(this.byId.values());
  }

  get size() {
    return this.byId.size;
  }

  get(id: string): string | undefined {
    return this.byId.get(id.replace(/^sha256:/, ''));
  }

  /** Whether `query` is one of the manifest's documents, however it arrived (id or text). */
  isKnown(query: unknown): boolean {
    return typeof query === 'string' && this.texts.has(query);
  }
}

function readManifest(path: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`PERSISTED_DOCUMENTS_PATH: cannot read ${path} as JSON`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`PERSISTED_DOCUMENTS_PATH: ${path} must be a JSON object { hash: document }`);
  }
  const entries = Object.entries(parsed);
  if (entries.some(([, document]) => typeof document !== 'string')) {
    throw new Error(`PERSISTED_DOCUMENTS_PATH: every value in ${path} must be a document string`);
  }
  return new Map(entries as [string, string][]);
}

type Params = {
  query?: unknown;
  documentId?: unknown;
  extensions?: { persistedQuery?: { sha256Hash?: unknown } } & Record<string, unknown>;
} & Record<string, unknown>;

/** The id a request names its document by: `documentId`, or Apollo's persisted-query hash. */
function documentIdOf(params: Params, request: Request): string | undefined {
  const candidates = [
    params.documentId,
    params.extensions?.persistedQuery?.sha256Hash,
    request.method === 'GET' ? new URL(request.url).searchParams.get('documentId') : undefined,
  ];
  return candidates.find((value): value is string => typeof value === 'string' && value !== '');
}

/**
 * Resolves requests that send a document id instead of its text (POST `documentId`, GET
 * `?documentId=`, or `extensions.persistedQuery.sha256Hash`): the text comes from the manifest.
 * An unknown id answers PERSISTED_QUERY_NOT_FOUND (Apollo's persisted-query link then resends
 * the full text, which is an ad-hoc document: see `mustUsePersisted`). Nothing is ever added
 * to the manifest at run time.
 */
export function usePersistedDocuments(documents: PersistedDocuments): Plugin {
  return {
    onParams({ params, request, setParams }) {
      const raw = params as Params;
      const id = documentIdOf(raw, request);
      if (id === undefined) return;
      const { documentId: _ignored, ...rest } = raw;
      const text = documents.get(id);
      if (text !== undefined) {
        setParams({ ...(rest as typeof params), query: text });
      } else if (typeof raw.query === 'string') {
        setParams(rest as typeof params);
      } else {
        // Thrown like yoga's own parameter checks, which run after this hook and would
        // otherwise answer "Must provide query string".
        throw persistedQueryNotFound();
      }
    },
  };
}
