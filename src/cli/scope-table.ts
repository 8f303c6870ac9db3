import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';

export const SCOPES_START =
  '<!-- scopes:start — generated from the schema by `npm run docs:scopes`; do not edit -->';
export const SCOPES_END = '<!-- scopes:end -->';

/** Where the generated tables live: the "Scopes" section of the auth reference. */
export const SCOPES_DOC = fileURLToPath(new URL('../../docs/auth.md', import.meta.url));

type AuthScopes = Record<string, unknown> | ((...args: unknown[]) => unknown) | undefined;

const authScopesOf = (thing: { extensions?: unknown }): AuthScopes =>
  (thing.extensions as { pothosOptions?: { authScopes?: AuthScopes } } | undefined)?.pothosOptions
    ?.authScopes;

/** `{ scope: 'read:videos' }` → "`read:videos`"; `$any`/`$all` read as "or"/"and". */
function describeScopes(scopes: AuthScopes): string | null {
  if (scopes === undefined) return null;
  if (typeof scopes === 'function') return 'decided per object';
  const parts = Object.entries(scopes).flatMap(([name, value]): string[] => {
    if (name === '$any' || name === '$all') {
      const inner = describeScopes(value as AuthScopes);
      return inner ? [`(${inner})`] : [];
    }
    if (name === 'scope') return [`\`${String(value)}\``];
    if (name === 'authenticated') return value ? ['any credential'] : [];
    return [`${name}: ${String(value)}`];
  });
  const joiner = '$any' in scopes ? ' or ' : ' and ';
  return parts.length ? parts.join(joiner) : null;
}

const typeScope = (type: GraphQLNamedType): string | null =>
  isObjectType(type) ? describeScopes(authScopesOf(type)) : null;

/** What a root field needs: its own scopes, else those of the type it returns. */
function rootFieldScope(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>): string {
  const own = describeScopes(authScopesOf(field));
  if (own) return own;
  const named = getNamedType(field.type);
  if (isInterfaceType(named)) {
    // node/nodes: each object answers with its own type's scope.
    const byScope = new Map<string, string[]>();
    for (const implementation of schema.getPossibleTypes(named)) {
      const scope = typeScope(implementation) ?? 'none';
      byScope.set(scope, [...(byScope.get(scope) ?? []), `\`${implementation.name}\``]);
    }
    return [...byScope]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([scope, types]) => `${scope} (${types.sort().join(', ')})`)
      .join('; ');
  }
  return typeScope(named) ?? 'any credential';
}

/** The scope tables: every root operation, then nested fields with scopes of their own. */
export async function renderScopeTables(schema: GraphQLSchema): Promise<string> {
  const roots: [string, GraphQLObjectType | null | undefined][] = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ];
  const rows: string[] = [];
  for (const [kind, root] of roots) {
    if (!root) continue;
    for (const field of Object.values(root.getFields()).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      rows.push(`| \`${field.name}\` | ${kind} | ${rootFieldScope(schema, field)} |`);
    }
  }
  const rootNames = new Set(roots.map(([, root]) => root?.name));
  const nested: string[] = [];
  for (const type of Object.values(schema.getTypeMap()).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (!isObjectType(type) || rootNames.has(type.name) || type.name.startsWith('__')) continue;
    const ownerScope = typeScope(type);
    for (const field of Object.values(type.getFields())) {
      const scope = describeScopes(authScopesOf(field));
      if (scope && scope !== ownerScope)
        nested.push(`| \`${type.name}.${field.name}\` | ${scope} |`);
    }
  }
  const markdown = [
    '| Operation | Kind | Scope |',
    '| --- | --- | --- |',
    ...rows,
    '',
    'Fields inside the results that need a scope of their own (checked wherever they are selected):',
    '',
    '| Field | Scope |',
    '| --- | --- |',
    ...nested,
    '',
  ].join('\n');
  return (await format(markdown, { parser: 'markdown', printWidth: 100 })).trimEnd();
}

/** docs/auth.md's text with the generated section replaced (markers kept). */
export function replaceScopeSection(markdown: string, tables: string): string {
  const start = markdown.indexOf(SCOPES_START);
  const end = markdown.indexOf(SCOPES_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`docs/auth.md needs the markers ${SCOPES_START} and ${SCOPES_END}`);
  }
  return `${markdown.slice(0, start + SCOPES_START.length)}\n\n${tables}\n\n${markdown.slice(end)}`;
}
