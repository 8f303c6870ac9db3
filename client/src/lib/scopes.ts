import type { Scope } from '../gql/graphql.js';

export const SCOPE_LABELS: Record<Scope, string> = {
  READ_USER: 'read:user',
  WRITE_USER: 'write:user',
  READ_VIDEOS: 'read:videos',
  WRITE_VIDEOS: 'write:videos',
  READ_ANALYTICS: 'read:analytics',
  WRITE_METRICS: 'write:metrics',
  MANAGE_WEBHOOKS: 'manage:webhooks',
  MANAGE_KEYS: 'manage:keys',
  MANAGE_REPORTS: 'manage:reports',
};

export const ALL_SCOPES = Object.keys(SCOPE_LABELS) as Scope[];
