import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ProtectionConfig } from '../../env.js';
import { introspectionDepthRule } from './introspection-limits.js';
import { queryTooComplex } from './limit-errors.js';

type Limit = 'depth' | 'aliases' | 'tokens' | 'directives';

/** Reports an armor rejection as ours: 400 QUERY_TOO_COMPLEX naming the limit. */
function reject(limit: Limit, max: number): GraphQLArmorRejectCallback {
  return (context: ValidationContext | null) => {
    const error = queryTooComplex(`The document exceeds the ${limit} limit of ${max}.`, {
      limit,
      max,
    });
    // Validation rules report through their context; the token limit runs in the parser.
    if (context) context.reportError(error);
    else throw error;
  };
}

const SUGGESTION = /\s*Did you mean[^?]*\?/g;
const hasSuggestion = (error: unknown): error is GraphQLError =>
  error instanceof GraphQLError && error.message.includes('Did you mean');

export const withoutSuggestion = (message: string) => message.replace(SUGGESTION, '');

function stripSuggestion(error: GraphQLError): GraphQLError {
  return new GraphQLError(withoutSuggestion(error.message), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/** Strips "Did you mean …?" hints: they reveal names of fields, arguments and enum values. */
function withoutSuggestions<T extends { errors?: readonly GraphQLError[] }>(result: T): T {
  if (!result.errors?.some(hasSuggestion)) return result;
  return {
    ...result,
    errors: result.errors.map((error) => (hasSuggestion(error) ? stripSuggestion(error) : error)),
  };
}

const isSingleResult = (result: unknown): result is { errors?: readonly GraphQLError[] } =>
  typeof result === 'object' && result !== null && !(Symbol.asyncIterator in result);

/**
 * graphql-armor's depth, alias, token and directive limits (its cost limit is not used: Pothos
 * complexity measures cost per tier), and in production no field suggestions anywhere: in
 * validation errors, and in variable coercion errors, which graphql-armor does not cover.
 */
export function useArmor(config: ProtectionConfig['armor']): Plugin[] {
  const armor = EnvelopArmorPlugin({
    blockFieldSuggestion: { enabled: false },
    costLimit: { enabled: false },
    maxDepth: {
      n: config.maxDepth,
      propagateOnRejection: false,
      onReject: [reject('depth', config.maxDepth)],
    },
    maxAliases: {
      n: config.maxAliases,
      // graphql-armor exempts __typename by default; 100 aliased __typename are still 100 fields.
      allowList: [],
      propagateOnRejection: false,
      onReject: [reject('aliases', config.maxAliases)],
    },
    maxTokens: {
      n: config.maxTokens,
      propagateOnRejection: false,
      onReject: [reject('tokens', config.maxTokens)],
    },
    maxDirectives: {
      n: config.maxDirectives,
      propagateOnRejection: false,
      onReject: [reject('directives', config.maxDirectives)],
    },
  }) as Plugin;
  // armor skips `__schema` in its depth count; introspection-limits.ts counts it instead.
  const introspectionDepth: Plugin = {
    onValidate: ({ addValidationRule }) =>
      addValidationRule(introspectionDepthRule(config.maxDepth)),
  };
  if (!config.blockSuggestions) return [armor, introspectionDepth];
  // Validation errors, then variable coercion errors, which execution returns as a result.
  const blockSuggestions: Plugin = {
    onValidate:
      () =>
      ({ result, setResult }) => {
        if (result.some(hasSuggestion))
          setResult(result.map((error) => (hasSuggestion(error) ? stripSuggestion(error) : error)));
      },
    onExecute: () => ({
      onExecuteDone({ result, setResult }) {
        if (isSingleResult(result)) setResult(withoutSuggestions(result) as typeof result);
      },
    }),
    onSubscribe: () => ({
      onSubscribeResult({ result, setResult }) {
        if (isSingleResult(result)) setResult(withoutSuggestions(result) as typeof result);
      },
    }),
  };
  return [armor, introspectionDepth, blockSuggestions];
}
