import { parseArgs } from 'node:util';
import { APP_STATUSES, PLANS, type AppStatus, type Plan } from '../db/schema.js';
import { createApiKey } from '../modules/api-key/api-key.service.js';
import { generateApiKey } from '../modules/api-key/api-key.token.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, setPassword } from '../modules/auth/password.js';
import { isScope, SCOPES, type Scope } from '../modules/auth/scopes.js';
import { listAppsByStatus, setAppStatus } from '../modules/oauth-app/oauth-app.service.js';
import { createUser, findUserByEmail } from '../modules/user/user.service.js';
import { withDatabase } from './database.js';
import { MAIL_USAGE, runMailCommand } from './mail.js';
import { REPORT_USAGE, runReportCommand } from './report.js';

const USAGE = `Usage: npm run cli -- <command> [options]

  user create --email <email> --name <name> [--plan free|pro|enterprise] [--timezone <IANA zone>]
  apikey create --email <owner email> [--name <label>] [--scopes read:videos,write:videos,...]
  apikey generate            print a fresh, well-formed key (e.g. for DEMO_API_KEY); stores nothing
  user set-password <email>  set the password for the OAuth sign-in page, read from stdin
  app list [--status pending|approved|rejected]
  app approve <clientId>     list the app in the directory and let users authorize it
  app reject <clientId>      refuse (or withdraw) an app; its users can no longer authorize it
${MAIL_USAGE}
${REPORT_USAGE}

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
    status: { type: 'string' },
    formats: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    'no-wait': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
const [group = '', action = '', ...operands] = positionals;
const command = `${group} ${action}`.trim();

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
} else if (command === 'user set-password') {
  const email = operands[0] ?? values.email;
  if (!email) fail('user set-password needs the email: user set-password <email>');
  const password = await readPassword();
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH)
    fail(`The password must be ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters.`);
  await withDatabase(async ({ db }) => {
    const user = await findUserByEmail(db, email);
    if (!user) fail(`No user with email ${email}`);
    await setPassword(db, user.id, password);
    process.stdout.write(`password set for ${user.email}\n`);
  });
} else if (command === 'app list') {
  const status = values.status;
  if (status !== undefined && !APP_STATUSES.includes(status as AppStatus))
    fail(`--status must be one of ${APP_STATUSES.join(', ')}`);
  await withDatabase(async ({ db }) => {
    for (const app of await listAppsByStatus(db, status as AppStatus | undefined)) {
      process.stdout.write(
        `${app.clientId}\t${app.status}\t${app.name}\t${app.redirectUris.join(',')}\t${app.scopes.join(' ')}\n`,
      );
    }
  });
} else if (command === 'app approve' || command === 'app reject') {
  const clientId = operands[0];
  if (!clientId) fail(`${command} needs the app's client id: ${command} <clientId>`);
  await withDatabase(async ({ db }) => {
    const app = await setAppStatus(db, clientId, action === 'approve' ? 'approved' : 'rejected');
    if (!app) fail(`No app with client id ${clientId}`);
    process.stdout.write(`${app.name} (${app.clientId}) is now ${app.status}\n`);
  });
} else if (group === 'mail') {
  process.exitCode = await runMailCommand(action, operands);
} else if (command === 'report run') {
  process.exitCode = await runReportCommand('report run', operands, values);
} else if (group === 'export') {
  process.exitCode = await runReportCommand('export', action ? [action, ...operands] : [], values);
} else {
  fail(`Unknown command "${command}".\n\n${USAGE}`);
}

/**
 * The password from stdin: typed at a terminal (not echoed) or piped
 * (`printf '%s' "$PASSWORD" | npm run cli -- user set-password ada@example.com`). One trailing
 * newline is dropped.
 */
async function readPassword(): Promise<string> {
  const { stdin, stderr } = process;
  if (!stdin.isTTY) {
    let input = '';
    for await (const chunk of stdin) input += String(chunk);
    return input.replace(/\r?\n$/, '');
  }
  stderr.write('Password: ');
  stdin.setRawMode(true);
  let input = '';
  try {
    for await (const chunk of stdin) {
      for (const char of String(chunk)) {
        if (char === '\u0003') process.exit(130);
        if (char === '\r' || char === '\n') return input;
        if (char === '\u007f') input = input.slice(0, -1);
        else input += char;
      }
    }
    return input;
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    stderr.write('\n');
  }
}
