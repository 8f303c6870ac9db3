import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import {
  DateTimeResolver,
  EmailAddressResolver,
  LocalDateResolver,
  SafeIntResolver,
  TimeZoneResolver,
  URLResolver,
} from 'graphql-scalars';
import { GraphQLScalarType, Kind } from 'graphql';
import type { Context, SignedInContext } from './context.js';
import { forbidden, insufficientScope, unauthenticated } from './errors.js';
import { decodeUuidGlobalID } from './modules/common/global-id.js';
import { fieldCost } from './modules/limits/cost-model.js';
import type { Scope } from './modules/auth/scopes.js';

function firstMissingScope(failure: AuthFailure): string | undefined {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      return failure.scope === 'scope' ? String(failure.parameter) : undefined;
    case AuthScopeFailureType.AnyAuthScopes:
    case AuthScopeFailureType.AllAuthScopes:
      return failure.failures.map(firstMissingScope).find(Boolean);
    default:
      return undefined;
  }
}

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { authenticated: boolean; scope: Scope };
  // Fields declared with `t.withAuth(...)` resolve with a viewer: the scope check guarantees one.
  AuthContexts: { authenticated: SignedInContext; scope: SignedInContext };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    EmailAddress: { Input: string; Output: string };
    LocalDate: { Input: string; Output: string };
    SafeInt: { Input: number; Output: number };
    TimeZone: { Input: string; Output: string };
    URL: { Input: URL; Output: URL | string };
  };
}>({
  plugins: [RelayPlugin, ScopeAuthPlugin, DataloaderPlugin, ComplexityPlugin],
  // Costs only: limits are enforced per tier, before execution, by src/modules/limits/limits.ts.
  complexity: { fieldComplexity: fieldCost },
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    decodeGlobalID: decodeUuidGlobalID,
    cursorType: 'String',
    edgesFieldOptions: {
      nullable: false,
      description: 'The items of this page, with their cursors.',
    },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    cursorFieldOptions: { description: 'Opaque cursor of this item, for `after`/`before`.' },
    pageInfoFieldOptions: { description: 'Where this page sits in the whole list.' },
    nodeTypeOptions: { description: 'An object with a global ID, fetchable with `node(id:)`.' },
    nodeQueryOptions: {
      description:
        'Fetches any object by its global ID; null when it does not exist or is not yours.',
      args: { id: { description: 'Global ID of the object.' } },
    },
    nodesQueryOptions: {
      description:
        'Fetches objects by global ID, in order; null for each one that is missing or not yours.',
      args: { ids: { description: 'Global IDs of the objects.' } },
    },
    idFieldOptions: { description: 'Globally unique, opaque identifier (Relay).' },
    pageInfoTypeOptions: { description: 'Where a page sits in a connection.' },
    hasNextPageFieldOptions: { description: 'Whether more items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Whether items precede this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first item of this page.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of this page.' },
    firstArgOptions: { description: 'Return the first N items (1–100, default 20).' },
    lastArgOptions: { description: 'Return the last N items (1–100).' },
    afterArgOptions: { description: 'Return items after this cursor.' },
    beforeArgOptions: { description: 'Return items before this cursor.' },
    defaultEdgeTypeOptions: { description: 'An item of a connection, with its cursor.' },
  },
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (context) => ({
      authenticated: context.viewer !== null,
      scope: (scope: Scope) => context.viewer?.scopes.has(scope) ?? false,
    }),
    unauthorizedError: (_parent, context, _info, result) => {
      if (!context.viewer) return unauthenticated();
      const scope = firstMissingScope(result.failure);
      return scope ? insufficientScope(scope) : forbidden();
    },
  },
});

/**
 * graphql-scalars' TimeZone builds two Intl formatters for every value it checks, the costliest
 * step of reading a dashboard query's arguments. Zones it accepted once are accepted again at
 * once; there are a few hundred valid zones, so the set stays small, and invalid ones are never
 * kept.
 */
function rememberingTimeZones(scalar: GraphQLScalarType<string, string>) {
  const accepted = new Set<string>();
  const remember =
    (check: (value: unknown) => string) =>
    (value: unknown): string => {
      if (typeof value === 'string' && accepted.has(value)) return value;
      const zone = check(value);
      accepted.add(zone);
      return zone;
    };
  return new GraphQLScalarType<string, string>({
    ...scalar.toConfig(),
    serialize: remember((value) => scalar.serialize(value)),
    parseValue: remember((value) => scalar.parseValue(value)),
    parseLiteral: (node, variables) => {
      if (node.kind === Kind.STRING && accepted.has(node.value)) return node.value;
      const zone = scalar.parseLiteral(node, variables);
      accepted.add(zone);
      return zone;
    },
  });
}

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('EmailAddress', EmailAddressResolver);
builder.addScalarType('LocalDate', LocalDateResolver);
builder.addScalarType('SafeInt', SafeIntResolver);
builder.addScalarType('TimeZone', rememberingTimeZones(TimeZoneResolver));
builder.addScalarType('URL', URLResolver);

builder.queryType({ description: 'Everything you can read.' });
builder.mutationType({ description: 'Everything you can change.' });
builder.subscriptionType({ description: 'Live updates, over graphql-ws or Server-Sent Events.' });
