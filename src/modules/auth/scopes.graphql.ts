import { builder } from '../../builder.js';
import { SCOPE_DESCRIPTIONS, SCOPES, type Scope } from './scopes.js';

/** `read:user` ↔ READ_USER. */
export const ScopeEnum = builder.enumType('Scope', {
  description:
    'A permission a credential (API key or OAuth token) carries; each field states the one it needs.',
  values: Object.fromEntries(
    SCOPES.map((scope) => [
      scope.replace(':', '_').toUpperCase(),
      { value: scope, description: `\`${scope}\`: ${SCOPE_DESCRIPTIONS[scope]}` },
    ]),
  ) as Record<string, { value: Scope; description: string }>,
});
