import { userError, type UserErrorData } from '../common/user-error.js';
import { scopesBeyond, type Scope } from './scopes.js';

/** Who manages credentials: their owner, with the scopes of the credential they call with. */
export interface CredentialManager {
  ownerId: string;
  scopes: ReadonlySet<Scope>;
}

/**
 * The rule of every mutation that creates, rotates, re-enables, disables or deletes a credential
 * or grant (API keys, OAuth apps, installs): a caller may only touch credentials whose scopes are
 * a subset of its own, so no credential can obtain, revive or control one stronger than itself.
 * Returns the user error for the target when the caller lacks some of its scopes.
 */
export function strongerCredential(
  caller: ReadonlySet<Scope>,
  targetScopes: readonly string[],
  field: string[],
  what: string,
): UserErrorData | undefined {
  const beyond = scopesBeyond(caller, targetScopes);
  if (beyond.length === 0) return undefined;
  return userError(
    field,
    'INSUFFICIENT_SCOPE',
    `This ${what} has scopes your credentials lack (${beyond.join(', ')}); use credentials that hold all of them.`,
  );
}

/** The viewer as a credential manager. */
export const credentialManager = (viewer: {
  user: { id: string };
  scopes: ReadonlySet<Scope>;
}): CredentialManager => ({ ownerId: viewer.user.id, scopes: viewer.scopes });
