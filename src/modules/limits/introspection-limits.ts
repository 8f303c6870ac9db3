import {
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { queryTooComplex } from './limit-errors.js';

/**
 * The document limits for introspection (docs/limits.md). graphql-armor leaves `__schema`
 * selections out of its depth count, so any introspection document, however deep, would pass;
 * but GraphiQL's and codegen's standard introspection query nests about 13 levels through the
 * `ofType` chain of its TypeRef fragment. So inside `__schema` depth is counted over fields
 * (fragments flattened, as if written inline) and an `ofType` directly inside an `ofType` adds
 * no level: the chain can only follow a type's wrappers (list, non-null), which the schema
 * bounds, while every other nesting (`fields { type { fields … } }`) multiplies the answer.
 * The standard query is then 7 deep; anything deeper is refused like any other document.
 */

type Fragments = Map<string, FragmentDefinitionNode>;

/** Deepest field level under `selectionSet`, its parent field being at `depth`. */
function introspectionDepth(
  selectionSet: SelectionSetNode,
  depth: number,
  parentIsOfType: boolean,
  fragments: Fragments,
  expanding: Set<string>,
): number {
  let deepest = depth;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const ofType = selection.name.value === 'ofType';
      const level = ofType && parentIsOfType ? depth : depth + 1;
      deepest = Math.max(
        deepest,
        selection.selectionSet
          ? introspectionDepth(selection.selectionSet, level, ofType, fragments, expanding)
          : level,
      );
      continue;
    }
    let inner: SelectionSetNode | undefined;
    let name: string | undefined;
    if (selection.kind === Kind.INLINE_FRAGMENT) inner = selection.selectionSet;
    else {
      name = selection.name.value;
      // A fragment cycle is reported by graphql's own NoFragmentCycles rule.
      if (expanding.has(name)) continue;
      inner = fragments.get(name)?.selectionSet;
    }
    if (!inner) continue;
    if (name) expanding.add(name);
    deepest = Math.max(
      deepest,
      introspectionDepth(inner, depth, parentIsOfType, fragments, expanding),
    );
    if (name) expanding.delete(name);
  }
  return deepest;
}

/** Calls `found` with each `__schema` field the operation selects and the level it is at. */
function eachSchemaField(
  selectionSet: SelectionSetNode,
  depth: number,
  fragments: Fragments,
  expanding: Set<string>,
  found: (field: FieldNode, depth: number) => void,
) {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === '__schema') found(selection, depth + 1);
      else if (selection.selectionSet)
        eachSchemaField(selection.selectionSet, depth + 1, fragments, expanding, found);
      continue;
    }
    const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : undefined;
    const inner =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection.selectionSet
        : name && !expanding.has(name)
          ? fragments.get(name)?.selectionSet
          : undefined;
    if (!inner) continue;
    if (name) expanding.add(name);
    eachSchemaField(inner, depth, fragments, expanding, found);
    if (name) expanding.delete(name);
  }
}

const fragmentsOf = (document: DocumentNode): Fragments =>
  new Map(
    document.definitions
      .filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );

/** How many `__schema` fields an operation selects (fragments included). */
export function schemaSelections(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): number {
  let count = 0;
  eachSchemaField(operation.selectionSet, 0, fragmentsOf(document), new Set(), () => count++);
  return count;
}

/** Validation rule: `__schema` selections obey the depth limit, counted as described above. */
export function introspectionDepthRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const fragments = fragmentsOf(context.getDocument());
      let deepest = 0;
      eachSchemaField(operation.selectionSet, 0, fragments, new Set(), (field, depth) => {
        deepest = Math.max(
          deepest,
          field.selectionSet
            ? introspectionDepth(field.selectionSet, depth, false, fragments, new Set())
            : depth,
        );
      });
      if (deepest > maxDepth) {
        context.reportError(
          queryTooComplex(`The document exceeds the depth limit of ${maxDepth}.`, {
            limit: 'depth',
            max: maxDepth,
          }),
        );
      }
      return false;
    },
  });
}
