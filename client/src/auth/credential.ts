/**
 * What the dashboards sign in with. An API key today; an OAuth access token (authorization code +
 * PKCE, refreshed before it expires) once the server's authorization server is configured. Both
 * end up as the same `Authorization: Bearer …` value, so nothing past this module cares which.
 */
export type Credential =
  | { kind: 'api-key'; apiKey: string }
  | {
      kind: 'oauth';
      accessToken: string;
      refreshToken: string | null;
      /** Epoch milliseconds. */
      expiresAt: number;
      issuer: string;
      clientId: string;
    };

const STORAGE_KEY = 'pulse.credential';

/** Pulse keys: `pulse_` + 50 base62 characters (the server checks the checksum). */
export const API_KEY_PATTERN = /^pulse_[0-9A-Za-z]{50}$/;

/** `storage` undefined: nothing persists (tests, or a browser that refuses storage). */
export function loadCredential(storage: Storage | undefined) {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Credential;
    if (parsed.kind === 'api-key' && typeof parsed.apiKey === 'string') return parsed;
    if (parsed.kind === 'oauth' && typeof parsed.accessToken === 'string') return parsed;
    return null;
  } catch {
    return null;
  }
}

export function saveCredential(credential: Credential | null, storage: Storage | undefined) {
  try {
    if (credential) storage?.setItem(STORAGE_KEY, JSON.stringify(credential));
    else storage?.removeItem(STORAGE_KEY);
  } catch {
    // Private browsing may refuse storage: the session then lasts as long as the tab.
  }
}
