import {
  Kind,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Viewer } from './viewer.js';
import { unauthenticated } from '../../errors.js';
import { schemaSelections } from '../limits/introspection-limits.js';

function onlyIntrospection(selectionSet: SelectionSetNode, document: DocumentNode): boolean {
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value.startsWith('__');
    if (selection.kind === Kind.INLINE_FRAGMENT)
      return onlyIntrospection(selection.selectionSet, document);
    const fragment = document.definitions.find(
      (definition) =>
        definition.kind === Kind.FRAGMENT_DEFINITION &&
        definition.name.value === selection.name.value,
    );
    return (
      fragment?.kind === Kind.FRAGMENT_DEFINITION &&
      onlyIntrospection(fragment.selectionSet, document)
    );
  });
}

function selectedOperation(document: DocumentNode, name: string | null | undefined) {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );
  return name ? operations.find((operation) => operation.name?.value === name) : operations[0];
}

/** Whether the selected operation only reads the schema (`__schema`, `__type`, `__typename`). */
export function isIntrospectionOnly(
  document: DocumentNode,
  operationName: string | null | undefined,
): boolean {
  const operation = selectedOperation(document, operationName);
  return operation !== undefined && onlyIntrospection(operation.selectionSet, document);
}

/**
 * Anonymous callers may only introspect (so GraphiQL can show the docs before a key is pasted),
 * and read the schema at most once per request (GraphiQL and codegen ask once; fifteen aliased
 * copies are a 3 MB answer for free). Anything else without credentials is 401 with
 * WWW-Authenticate.
 */
export const ANONYMOUS_MAX_SCHEMAS = 1;

type ViewerContext = { viewer: Viewer | null };

export function useRequireViewer(): Plugin<ViewerContext> {
  const check = (
    document: DocumentNode,
    operationName: string | null | undefined,
    context: ViewerContext,
  ) => {
    if (context.viewer) return null;
    const operation = selectedOperation(document, operationName);
    if (
      operation &&
      onlyIntrospection(operation.selectionSet, document) &&
      schemaSelections(document, operation) <= ANONYMOUS_MAX_SCHEMAS
    )
      return null;
    return { errors: [unauthenticated()] };
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const result = check(args.document, args.operationName, args.contextValue);
      if (result) setResultAndStopExecution(result);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const result = check(args.document, args.operationName, args.contextValue);
      if (result) setResultAndStopExecution(result);
    },
  };
}
