export const SCOPES = [
  'read:user',
  'write:user',
  'read:videos',
  'write:videos',
  'read:analytics',
  'write:metrics',
  'manage:webhooks',
] as const;

export type Scope = (typeof SCOPES)[number];

export const isScope = (value: string): value is Scope =>
  (SCOPES as readonly string[]).includes(value);

/** What each scope lets a credential do, in words shown on the consent page and in the schema. */
export const SCOPE_DESCRIPTIONS: Readonly<Record<Scope, string>> = {
  'read:user': 'Read your profile, settings, API keys and apps.',
  'write:user': 'Change your profile and settings; manage your API keys and apps.',
  'read:videos': 'Read your channels, videos and their metrics.',
  'write:videos': 'Create, change, publish and delete your videos.',
  'read:analytics': 'Read your analytics, reports and insights.',
  'write:metrics': 'Send metric events for your content.',
  'manage:webhooks': 'Manage your webhooks.',
};
