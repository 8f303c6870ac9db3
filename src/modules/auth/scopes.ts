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
