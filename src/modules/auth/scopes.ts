export const SCOPES = [
  'read:user',
  'write:user',
  'read:videos',
  'write:videos',
  'read:analytics',
  'write:metrics',
  'manage:webhooks',
  'manage:keys',
  'manage:reports',
] as const;

export type Scope = (typeof SCOPES)[number];

export const isScope = (value: string): value is Scope =>
  (SCOPES as readonly string[]).includes(value);

/** What each scope lets a credential do, in words shown on the consent page and in the schema. */
export const SCOPE_DESCRIPTIONS: Readonly<Record<Scope, string>> = {
  'read:user': 'Read your profile, settings, API keys and apps.',
  'write:user': 'Change your profile and settings.',
  'read:videos': 'Read your channels, videos and their metrics.',
  'write:videos': 'Create, change, publish and delete your videos.',
  'read:analytics': 'Read your analytics, reports and insights.',
  'write:metrics': 'Send metric events for your content.',
  'manage:webhooks': 'Manage your webhooks.',
  'manage:reports':
    'Save, change, schedule, run and delete your reports, and choose who receives them by email.',
  'manage:keys':
    'Create, rotate, enable, disable and revoke your API keys; register, change and delete your OAuth apps; uninstall apps. Only for credentials no stronger than the caller; never granted to third-party apps.',
};

/**
 * Scopes a third-party OAuth app can never hold: with them, an app could mint API keys that
 * outlive its own grant (an uninstall would not end its access).
 */
export const FIRST_PARTY_ONLY_SCOPES: ReadonlySet<Scope> = new Set(['manage:keys']);

/** The scopes of `wanted` that `held` lacks (empty when `wanted` ⊆ `held`). */
export const scopesBeyond = (held: ReadonlySet<string>, wanted: Iterable<string>): string[] =>
  [...new Set(wanted)].filter((scope) => !held.has(scope));
