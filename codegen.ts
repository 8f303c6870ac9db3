import { createHash } from 'node:crypto';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

const withoutClientDirectives = (manifest: string) =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(JSON.parse(manifest) as Record<string, string>).map(([hash, text]) => [
        hash,
        text.replace(/ @unmask(\([^)]*\))?/g, ''),
      ]),
    ),
    null,
    2,
  );

// How the custom scalars look in JSON, for the dashboards' and the tests' generated types.
const scalars = {
  DateTime: 'string',
  URL: 'string',
  SafeInt: 'number',
  EmailAddress: 'string',
  LocalDate: 'string',
  TimeZone: 'string',
};

// The suites' `graphql()` calls only: graphql-tag-pluck otherwise also reads every template after a
// /* GraphQL */ comment. Options given per glob reach the loader; codegen's type knows only `loader`.
const testDocuments = {
  'tests/**/*.ts': { pluckConfig: { skipIndent: true, isGqlTemplateLiteral: () => false } },
} as unknown as Record<string, { loader: string }>;

// Reads the committed SDL, never a running server, so codegen works offline and in CI.
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    'client/src/gql/': {
      // The dashboards' colocated fragments and page operations, and the urql integrator example.
      documents: ['client/src/**/*.{ts,tsx}', 'client/examples/**/*.ts', '!client/src/gql/**'],
      preset: 'client',
      // Apollo's cache needs __typename everywhere; adding it here keeps the persisted documents
      // identical to what Apollo sends, and lets Apollo pass each generated document through as is.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      presetConfig: {
        // Apollo Client masks fragment data at runtime (dataMasking: true); the generated types
        // describe that masking, so codegen's own type-only unmasking helper is not needed.
        fragmentMasking: false,
        // persisted-documents.json: sha256 (hex) of each normalized operation → its text. The
        // server can be told to accept only these (PERSISTED_DOCUMENTS_PATH); the dashboards send
        // the hash (document.__meta__.hash) as Apollo's extensions.persistedQuery.sha256Hash.
        // Plain hex rather than the preset's `sha256:` prefix: that is what APQ clients send.
        persistedDocuments: {
          hashAlgorithm: (operation: string) =>
            createHash('sha256').update(operation).digest('hex'),
        },
      },
      hooks: {
        // `@unmask` is an Apollo Client directive the server does not know (Apollo strips it
        // before sending); the manifest holds what the server runs, keyed by the same hashes.
        beforeOneFileWrite: (path: string, content: string) =>
          path.endsWith('persisted-documents.json') ? withoutClientDirectives(content) : content,
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        inlineFragmentTypes: 'mask',
        customDirectives: { apolloUnmask: true },
        scalars,
      },
    },
    // The suites' typed operations: `graphql()` from tests/gql, sent with TestApp.request(). Only
    // those calls are read: the suites' plain strings and /* GraphQL */ templates (some invalid on
    // purpose, some schema definitions) stay as they are.
    'tests/gql/': {
      documents: [testDocuments, '!tests/gql/**', '!tests/client/**', '!tests/e2e/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars },
    },
  },
};

export default config;
