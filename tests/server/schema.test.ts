import { readFile } from 'node:fs/promises';
import {
  isInputObjectType,
  isIntrospectionType,
  isObjectType,
  isInterfaceType,
  isEnumType,
  isScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { printSortedSchema, schema } from '../../src/schema.js';

describe('printed schema', () => {
  it('schema/schema.graphql matches the code (run `npm run schema:print`)', async () => {
    const committed = await readFile(
      new URL('../../schema/schema.graphql', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(printSortedSchema());
  });

  it('documents every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (
        isIntrospectionType(type) ||
        (isScalarType(type) && ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name))
      )
        continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues())
          if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('states the needed scope on every root field', () => {
    const roots = [
      schema.getQueryType()!,
      schema.getMutationType()!,
      schema.getSubscriptionType()!,
    ];
    const unstated = roots.flatMap((root) =>
      Object.values(root.getFields())
        .filter(
          (field) =>
            !['node', 'nodes'].includes(field.name) &&
            !/Needs `[a-z]+:[a-z]+`/.test(field.description ?? ''),
        )
        .map((field) => `${root.name}.${field.name}`),
    );
    expect(unstated).toEqual([]);
  });
});
