import { describe, expect, it, vi } from 'vitest';
import type { Credential } from '../../client/src/auth/credential.js';
import { createSession } from '../../client/src/auth/session.js';

const oauth = (expiresAt: number, refreshToken: string | null = 'refresh-1'): Credential => ({
  kind: 'oauth',
  accessToken: `access-${expiresAt}`,
  refreshToken,
  expiresAt,
  issuer: 'http://pulse.test/oauth',
  clientId: 'pulse-dashboards',
});

describe('session (the credential the dashboards send)', () => {
  it('sends an API key as a bearer token and forgets it on sign-out', async () => {
    const storage = new Map<string, string>();
    const fakeStorage = {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
      removeItem: (key: string) => void storage.delete(key),
    } as Storage;
    const session = createSession({ storage: fakeStorage });
    session.signIn({ kind: 'api-key', apiKey: 'pulse_x' });
    expect(await session.authorization()).toBe('Bearer pulse_x');
    // Kept across page loads…
    expect(createSession({ storage: fakeStorage }).current()).toEqual({
      kind: 'api-key',
      apiKey: 'pulse_x',
    });
    session.signOut('rejected');
    expect(session.lastSignOut()).toBe('rejected');
    expect(await session.authorization()).toBeNull();
    // …and gone after sign-out.
    expect(createSession({ storage: fakeStorage }).current()).toBeNull();
  });

  it('refreshes an OAuth token about to expire, once for concurrent requests', async () => {
    const now = 1_000_000;
    const refresher = vi.fn(async () => oauth(now + 3_600_000, 'refresh-2'));
    const session = createSession({ storage: undefined, refresher, now: () => now });
    session.signIn(oauth(now + 10_000));
    const [first, second] = await Promise.all([session.authorization(), session.authorization()]);
    expect(refresher).toHaveBeenCalledTimes(1);
    expect(first).toBe(`Bearer access-${now + 3_600_000}`);
    expect(second).toBe(first);
    expect(session.current()).toMatchObject({ refreshToken: 'refresh-2' });
  });

  it('does not refresh a token with time left', async () => {
    const refresher = vi.fn();
    const session = createSession({ storage: undefined, refresher, now: () => 0 });
    session.signIn(oauth(3_600_000));
    expect(await session.authorization()).toBe('Bearer access-3600000');
    expect(refresher).not.toHaveBeenCalled();
  });

  it('signs out as expired when the refresh fails or there is no refresh token', async () => {
    const failing = createSession({
      storage: undefined,
      refresher: async () => {
        throw new Error('invalid_grant');
      },
      now: () => 0,
    });
    failing.signIn(oauth(5_000));
    expect(await failing.authorization()).toBeNull();
    expect(failing.lastSignOut()).toBe('expired');

    const noRefresh = createSession({ storage: undefined, now: () => 0 });
    noRefresh.signIn(oauth(5_000, null));
    expect(await noRefresh.authorization()).toBeNull();
    expect(noRefresh.lastSignOut()).toBe('expired');
  });
});
