import { parseArgs } from 'node:util';
import { PLANS, type Plan } from '../db/schema.js';
import { createApiKey } from '../modules/api-key/api-key.service.js';
import { generateApiKey } from '../modules/api-key/api-key.token.js';
import { isScope, SCOPES, type Scope } from '../modules/auth/scopes.js';
import { createUser, findUserByEmail } from '../modules/user/user.service.js';
import { withDatabase } from './database.js';

const USAGE = `Usage: npm run cli -- <command> [options]

  user create --email <email> --name <name> [--plan free|pro|enterprise] [--timezone <IANA zone>]
  apikey create --email <owner email> [--name <label>] [--scopes read:videos,write:videos,...]
  apikey generate            print a fresh, well-formed key (e.g. for DEMO_API_KEY); stores nothing

Scopes: ${SCOPES.join(' ')} (default: all).
The database is the one configured for the server (DATABASE_URL, see .env.example).`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    plan: { type: 'string' },
    timezone: { type: 'string' },
    scopes: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
const command = positionals.join(' ');

function parseScopes(list: string | undefined): Scope[] | undefined {
  if (list === undefined) return undefined;
  const scopes = list
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);
  const unknown = scopes.filter((scope) => !isScope(scope));
  if (unknown.length) fail(`Unknown scope(s): ${unknown.join(', ')}. Known: ${SCOPES.join(' ')}`);
  return scopes as Scope[];
}

if (values.help || command === '') {
  process.stdout.write(`${USAGE}\n`);
} else if (command === 'apikey generate') {
  process.stdout.write(`${generateApiKey()}\n`);
} else if (command === 'user create') {
  if (!values.email || !values.name) fail('user create needs --email and --name');
  if (values.plan && !PLANS.includes(values.plan as Plan))
    fail(`--plan must be one of ${PLANS.join(', ')}`);
  await withDatabase(async ({ db }) => {
    const result = await createUser(db, {
      email: values.email!,
      name: values.name!,
      ...(values.plan ? { plan: values.plan as Plan } : {}),
      ...(values.timezone ? { timezone: values.timezone } : {}),
    });
    if (!result.ok) fail(result.errors.map((e) => `${e.field.at(-1)}: ${e.message}`).join('\n'));
    process.stdout.write(`created user ${result.value.email} (${result.value.id})\n`);
  });
} else if (command === 'apikey create') {
  if (!values.email) fail('apikey create needs --email (the owner)');
  const scopes = parseScopes(values.scopes);
  await withDatabase(async ({ db }) => {
    const owner = await findUserByEmail(db, values.email!);
    if (!owner) fail(`No user with email ${values.email}`);
    const { apiKey, secret } = await createApiKey(db, {
      ownerId: owner.id,
      name: values.name ?? 'CLI key',
      ...(scopes ? { scopes } : {}),
    });
    process.stdout.write(
      `created key ${apiKey.prefix}… for ${owner.email} with scopes ${apiKey.scopes.join(' ')}\n` +
        `This is the only time the key is shown; store it now:\n${secret}\n`,
    );
  });
} else {
  fail(`Unknown command "${command}".\n\n${USAGE}`);
}
