import type { GraphQLCodegenDataMasking } from '@apollo/client/masking';

// Types generated with inlineFragmentTypes: 'mask' describe Apollo's runtime data masking.
declare module '@apollo/client' {
  export interface TypeOverrides extends GraphQLCodegenDataMasking.TypeOverrides {}
}
