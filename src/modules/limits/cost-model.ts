import { getMappedArgumentValues } from '@pothos/core';
import {
  getNamedType,
  getOperationAST,
  getVariableValues,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';
import { PLATFORMS } from '../../db/schema.js';

/**
 * The query cost model (docs/limits.md): a field returning an object costs 1, scalars and enums
 * cost nothing (they come with their parent's row); a list multiplies what is selected inside it
 * by its expected length; a connection costs 2 itself (its page and its count) and multiplies its
 * selection by `first`/`last` (default page size when absent). Lists whose length the question
 * decides declare their own `complexity` from their and their parents' arguments (analytics
 * series: buckets × metrics, report rows; modules/analytics/analytics.cost.ts); introspection
 * costs a fixed amount per `__schema`/`__type`.
 */
export const CONNECTION_COST = 2;
/** Expected length of a list whose size nothing in the request tells. */
export const DEFAULT_LIST_SIZE = 10;
/** @pothos/plugin-complexity's defaults, for fields without a `complexity` of their own. */
const DEFAULT_COMPLEXITY = 1;
const DEFAULT_LIST_MULTIPLIER = 10;
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

/** What a field's `complexity` callback receives as its context while an operation is measured. */
export interface CostContext {
  config?: { limits?: { defaultPageSize?: number } };
  /**
   * The fields enclosing the one being measured, outermost first, with their arguments: a
   * field's cost may depend on its parents' (a series' buckets on its analytics' range).
   */
  ancestors: readonly { field: GraphQLField<unknown, unknown>; args: Record<string, unknown> }[];
}

/** The arguments of the nearest enclosing field that takes an argument `name` (given or not). */
export function ancestorArgs(ctx: unknown, name: string): Record<string, unknown> | undefined {
  const ancestors = (ctx as Partial<CostContext> | undefined)?.ancestors ?? [];
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const { field, args } = ancestors[i]!;
    if (field.args.some((arg) => arg.name === name)) return args;
  }
  return undefined;
}

/**
 * Introspection answers are bounded by the schema, not by arguments: a whole `__schema` costs a
 * fixed amount (it is the largest answer the API gives for its size), one `__type` a tenth of it.
 * Their selections inside cost nothing more; the document limits bound their shape.
 */
export const INTROSPECTION_SCHEMA_COST = 100;
export const INTROSPECTION_TYPE_COST = 10;

type Complexity = number | { field?: number; multiplier?: number };
type ComplexityOption =
  | Complexity
  | ((
      args: Record<string, unknown>,
      ctx: unknown,
      field: GraphQLField<unknown, unknown>,
    ) => Complexity);

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variableValues: Record<string, unknown>;
  ctx: CostContext & Record<string, unknown>;
  /** Fragments being expanded, against cycles (validation refuses them; this is a backstop). */
  active: Set<string>;
}

function selectionSetCost(
  walk: Walk,
  selectionSet: SelectionSetNode,
  type: GraphQLNamedType,
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldNodeCost(walk, selection, type);
      continue;
    }
    let fragment: InlineFragmentNode | FragmentDefinitionNode | undefined;
    if (selection.kind === Kind.INLINE_FRAGMENT) fragment = selection;
    else {
      const name = selection.name.value;
      fragment = walk.fragments[name];
      if (!fragment || walk.active.has(name)) continue;
    }
    const condition = fragment.typeCondition
      ? walk.schema.getType(fragment.typeCondition.name.value)
      : type;
    if (!condition) continue;
    const name = fragment.kind === Kind.FRAGMENT_DEFINITION ? fragment.name.value : undefined;
    if (name) walk.active.add(name);
    total += selectionSetCost(walk, fragment.selectionSet, condition);
    if (name) walk.active.delete(name);
  }
  return total;
}

function fieldNodeCost(walk: Walk, node: FieldNode, type: GraphQLNamedType): number {
  const name = node.name.value;
  if (name === '__schema') return INTROSPECTION_SCHEMA_COST;
  if (name === '__type') return INTROSPECTION_TYPE_COST;
  // A scalar like any other (Apollo Client adds it to every selection); Pothos would count 1.
  if (name === '__typename') return 0;
  const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
  // Unknown fields: validation has already refused them.
  if (!field) return DEFAULT_COMPLEXITY;
  const args = getMappedArgumentValues(field, node, walk.ctx, {
    schema: walk.schema,
    fragments: walk.fragments,
    variableValues: walk.variableValues,
  } as Parameters<typeof getMappedArgumentValues>[3]) as Record<string, unknown>;
  let option = (field.extensions as { complexity?: ComplexityOption } | undefined)?.complexity;
  if (typeof option === 'function') option = option(args, walk.ctx, field);
  const own = typeof option === 'number' ? option : (option?.field ?? DEFAULT_COMPLEXITY);
  const multiplier =
    typeof option === 'object' && option.multiplier !== undefined
      ? option.multiplier
      : isList(field.type)
        ? DEFAULT_LIST_MULTIPLIER
        : 1;
  if (!node.selectionSet) return own;
  const ancestors = walk.ctx.ancestors as CostContext['ancestors'][number][];
  ancestors.push({ field, args });
  try {
    const inner = selectionSetCost(walk, node.selectionSet, getNamedType(field.type));
    return own + inner * Math.max(multiplier, 0);
  } finally {
    ancestors.pop();
  }
}

/**
 * Cost of the operation a request selects, with its variables; or the errors of its variables
 * (which execution would refuse too, before any resolver). Undefined when no operation is
 * selected (execution reports that). Other GraphQL errors (a malformed global ID in an argument,
 * a series with too many buckets) are thrown: the request is refused as it would be in
 * execution, only earlier.
 *
 * The walk follows @pothos/plugin-complexity's rules (each field's `complexity` option, the
 * builder's `fieldComplexity` default, list multipliers), measured fresh for every field so a
 * fragment used under two parents is costed under each, and hands each `complexity` callback
 * its enclosing fields' arguments (`CostContext.ancestors`).
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
  const root = schema.getRootType(operation.operation);
  if (!root) return undefined;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, {
    maxErrors: 5,
  });
  if (coerced.errors) return { variableErrors: coerced.errors };
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  const walk: Walk = {
    schema,
    fragments,
    variableValues: coerced.coerced,
    ctx: { ...ctx, ancestors: [] },
    active: new Set(),
  };
  return { cost: selectionSetCost(walk, operation.selectionSet, root) };
}
