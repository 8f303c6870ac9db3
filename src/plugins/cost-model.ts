import { complexityFromQuery } from '@pothos/plugin-complexity';
import {
  getNamedType,
  getOperationAST,
  getVariableValues,
  isLeafType,
  isListType,
  isNonNullType,
  Kind,
  type DocumentNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { PLATFORMS } from '../db/schema.js';

/**
 * The query cost model (README "Limits"): a field returning an object costs 1, scalars and enums
 * cost nothing (they come with their parent's row); a list multiplies what is selected inside it
 * by its expected length; a connection costs 2 itself (its page and its count) and multiplies its
 * selection by `first`/`last` (default page size when absent).
 */
export const CONNECTION_COST = 2;
/** Expected length of a list whose size nothing in the request tells. */
export const DEFAULT_LIST_SIZE = 10;
/** Lists with a known bound: a video has at most one publication per platform. */
const KNOWN_LIST_SIZES: Record<string, number> = { Publication: PLATFORMS.length };

const isList = (type: GraphQLOutputType): boolean =>
  isListType(type) || (isNonNullType(type) && isListType(type.ofType));

const pageSize = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.trunc(value)) : undefined;

/** Pothos `fieldComplexity`: the default cost of every field without its own `complexity`. */
export function fieldCost(
  args: Record<string, unknown>,
  ctx: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any context and args
  field: GraphQLField<unknown, any, any>,
): number | { field: number; multiplier: number } {
  const named = getNamedType(field.type);
  if (isLeafType(named)) return 0;
  const hasArg = (name: string) => field.args.some((arg) => arg.name === name);
  if (named.name.endsWith('Connection') && (hasArg('first') || hasArg('last'))) {
    const fallback =
      (ctx as { config?: { limits?: { defaultPageSize?: number } } } | undefined)?.config?.limits
        ?.defaultPageSize ?? 20;
    return {
      field: CONNECTION_COST,
      multiplier: pageSize(args['first']) ?? pageSize(args['last']) ?? fallback,
    };
  }
  // The connection already multiplied by the page size; its edges and pageInfo are free.
  if (named.name.endsWith('Edge') || named.name === 'PageInfo') return { field: 0, multiplier: 1 };
  if (isList(field.type)) {
    const ids = args['ids'];
    if (Array.isArray(ids)) return { field: ids.length, multiplier: ids.length };
    return { field: 1, multiplier: KNOWN_LIST_SIZES[named.name] ?? DEFAULT_LIST_SIZE };
  }
  return 1;
}

/**
 * Cost of the operation a request selects, with its variables; or the errors of its variables
 * (which execution would refuse too, before any resolver). Undefined when no operation is
 * selected (execution reports that). Other GraphQL errors (a malformed global ID in an argument)
 * are thrown: the request is refused as it would be in execution, only earlier.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  ctx: object,
): { cost: number } | { variableErrors: readonly GraphQLError[] } | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  // complexityFromQuery measures the first operation; hand it only the selected one.
  const selected: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      operation,
      ...document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION),
    ],
  };
  const inputs = variables ?? {};
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs, {
    maxErrors: 5,
  });
  if (coerced.errors) return { variableErrors: coerced.errors };
  return { cost: complexityFromQuery(selected, { schema, ctx, variables: inputs }).complexity };
}
