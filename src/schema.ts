import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './modules/index.js';

export const schema: GraphQLSchema = builder.toSchema({ sortSchema: true });

/** The SDL committed as schema/schema.graphql; a test fails when the code drifts from it. */
export const printSortedSchema = () => `${printSchema(lexicographicSortSchema(schema))}\n`;
