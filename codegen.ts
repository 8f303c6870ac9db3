import type { CodegenConfig } from '@graphql-codegen/cli';

// Reads the committed SDL, never a running server, so codegen works offline and in CI.
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['client/**/*.{ts,tsx}', '!client/src/gql/**'],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    'client/src/gql/': {
      preset: 'client',
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: {
          DateTime: 'string',
          URL: 'string',
          SafeInt: 'number',
          EmailAddress: 'string',
          TimeZone: 'string',
        },
      },
    },
  },
};

export default config;
