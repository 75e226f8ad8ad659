import path from 'path';
import type { CodegenConfig } from '@graphql-codegen/cli';

// Types come from the knowledge base's published contract (schema.graphql), not from a running server.
const config: CodegenConfig = {
  schema: path.resolve(__dirname, '../../schema.graphql'),
  documents: path.resolve(__dirname, 'src/**/*.ts'),
  ignoreNoDocuments: false,
  generates: {
    [path.resolve(__dirname, 'src/gql') + '/']: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      // Documents as typed strings: plain fetch, no GraphQL client library at run time.
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Date: 'string', DateTime: 'string', Time: 'string', JSON: 'unknown', Long: 'number' },
      },
    },
  },
};

export default config;
