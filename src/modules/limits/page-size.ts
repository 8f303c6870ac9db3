import {
  getNamedType,
  GraphQLInt,
  Kind,
  TypeInfo,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { badUserInput } from '../../errors.js';

function findPageSizeProblem(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  max: number,
): string | null {
  const typeInfo = new TypeInfo(schema);
  let problem: string | null = null;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        if (!field || !getNamedType(field.type).name.endsWith('Connection')) return;
        for (const arg of node.arguments ?? []) {
          if (arg.name.value !== 'first' && arg.name.value !== 'last') continue;
          if (arg.value.kind === Kind.NULL) continue;
          const value = valueFromAST(arg.value, GraphQLInt, variables);
          // Values that don't coerce to Int are reported by GraphQL validation/execution.
          if (typeof value === 'number' && (value < 1 || value > max)) {
            problem = `\`${arg.name.value}\` on \`${field.name}\` must be between 1 and ${max}; got ${value}.`;
          }
        }
      },
    }),
  );
  return problem;
}

/**
 * Rejects out-of-range `first`/`last` on connections before the request costs any SQL, variables
 * included (which validation rules cannot see). It throws from the validate phase because that
 * runs before the context (and so authentication) is built, and before yoga's validation cache,
 * which must never remember a variable-dependent answer.
 */
export function usePageSizeLimit(
  max: number,
): Plugin<{ params?: { variables?: Record<string, unknown> } }> {
  return {
    onValidate({ params, context }) {
      const variables = context.params?.variables ?? {};
      const problem = findPageSizeProblem(params.schema, params.documentAST, variables, max);
      if (problem) throw badUserInput(problem);
    },
  };
}
