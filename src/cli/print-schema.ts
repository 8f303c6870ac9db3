import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { printSortedSchema } from '../schema.js';

const target = fileURLToPath(new URL('../../schema/schema.graphql', import.meta.url));
await writeFile(target, printSortedSchema());
process.stdout.write(`wrote ${target}\n`);
