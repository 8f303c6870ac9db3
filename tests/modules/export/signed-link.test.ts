import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/env.js';
import {
  parseSigningKeys,
  resolveSigningKeys,
  signLink,
  verifyLink,
} from '../../../src/lib/signed-link.js';

const KEY_A = 'a'.repeat(16) + 'first-signing-key-0123456789';
const KEY_B = 'b'.repeat(16) + 'second-signing-key-012345678';
const NOW = new Date('2026-05-01T10:00:00Z');
const IN_A_DAY = new Date(NOW.getTime() + 24 * 3600_000);

/** One character changed, still base64url, same length. */
const flip = (text: string, at = 5) =>
  text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);

describe('signLink / verifyLink', () => {
  it('a fresh link is valid until its expiry, then expired', () => {
    const { expires, signature } = signLink('export-1', IN_A_DAY, [KEY_A]);
    expect(expires).toBe(IN_A_DAY.getTime() / 1000);
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(verifyLink('export-1', expires, signature, [KEY_A], NOW)).toBe('valid');
    // Query parameters arrive as strings.
    expect(verifyLink('export-1', String(expires), signature, [KEY_A], NOW)).toBe('valid');
    const justBefore = new Date(IN_A_DAY.getTime() - 1);
    expect(verifyLink('export-1', expires, signature, [KEY_A], justBefore)).toBe('valid');
    expect(verifyLink('export-1', expires, signature, [KEY_A], IN_A_DAY)).toBe('expired');
    const later = new Date(IN_A_DAY.getTime() + 3600_000);
    expect(verifyLink('export-1', expires, signature, [KEY_A], later)).toBe('expired');
  });

  it('rounds the expiry down to whole seconds: a link never outlives the time asked for', () => {
    const at = new Date(NOW.getTime() + 1999);
    const { expires, signature } = signLink('x', at, [KEY_A]);
    expect(expires).toBe(Math.floor(at.getTime() / 1000));
    expect(verifyLink('x', expires, signature, [KEY_A], new Date(expires * 1000))).toBe('expired');
  });

  it('tampering with the subject, the expiry or the signature makes it invalid (not expired)', () => {
    const { expires, signature } = signLink('export-1', IN_A_DAY, [KEY_A]);
    expect(verifyLink('export-2', expires, signature, [KEY_A], NOW)).toBe('invalid');
    expect(verifyLink('export-1 ', expires, signature, [KEY_A], NOW)).toBe('invalid');
    expect(verifyLink('export-1', expires + 1, signature, [KEY_A], NOW)).toBe('invalid');
    expect(verifyLink('export-1', expires + 86_400, signature, [KEY_A], NOW)).toBe('invalid');
    expect(verifyLink('export-1', expires, flip(signature), [KEY_A], NOW)).toBe('invalid');
    expect(verifyLink('export-1', expires, flip(signature, 42), [KEY_A], NOW)).toBe('invalid');
    // An expired link with a tampered part is invalid too: "expired" needs a genuine signature.
    const old = signLink('export-1', new Date(NOW.getTime() - 1000), [KEY_A]);
    expect(verifyLink('export-1', old.expires, old.signature, [KEY_A], NOW)).toBe('expired');
    expect(verifyLink('export-1', old.expires, flip(old.signature), [KEY_A], NOW)).toBe('invalid');
    expect(verifyLink('export-9', old.expires, old.signature, [KEY_A], NOW)).toBe('invalid');
  });

  it('the subject and expiry cannot be shifted across the separator', () => {
    const { expires, signature } = signLink('a.1', IN_A_DAY, [KEY_A]);
    expect(verifyLink('a', `1.${expires}`, signature, [KEY_A], NOW)).toBe('invalid');
  });

  it('a signature from another key is invalid', () => {
    const { expires, signature } = signLink('export-1', IN_A_DAY, [KEY_B]);
    expect(verifyLink('export-1', expires, signature, [KEY_A], NOW)).toBe('invalid');
  });

  it('rotation: the first key signs, every key verifies, a dropped key no longer does', () => {
    const before = signLink('export-1', IN_A_DAY, [KEY_A]);
    const rotated = [KEY_B, KEY_A];
    expect(verifyLink('export-1', before.expires, before.signature, rotated, NOW)).toBe('valid');
    const after = signLink('export-1', IN_A_DAY, rotated);
    expect(after.signature).toBe(signLink('export-1', IN_A_DAY, [KEY_B]).signature);
    expect(after.signature).not.toBe(before.signature);
    expect(verifyLink('export-1', after.expires, after.signature, rotated, NOW)).toBe('valid');
    expect(verifyLink('export-1', before.expires, before.signature, [KEY_B], NOW)).toBe('invalid');
  });

  it('a signature of the wrong length is invalid, without throwing', () => {
    const { expires, signature } = signLink('export-1', IN_A_DAY, [KEY_A]);
    for (const wrong of ['', signature.slice(0, -1), `${signature}A`, signature.repeat(2), 'x'])
      expect(verifyLink('export-1', expires, wrong, [KEY_A], NOW)).toBe('invalid');
    // The same MAC in another encoding (base64 with padding, hex) is not accepted either.
    const bytes = Buffer.from(signature, 'base64url');
    expect(verifyLink('export-1', expires, bytes.toString('base64'), [KEY_A], NOW)).toBe('invalid');
    expect(verifyLink('export-1', expires, bytes.toString('hex'), [KEY_A], NOW)).toBe('invalid');
  });

  it('a non-numeric or non-canonical expiry is invalid, without throwing', () => {
    const { expires, signature } = signLink('export-1', IN_A_DAY, [KEY_A]);
    const forms = [
      'soon',
      '',
      ' ',
      `${expires}abc`,
      `${expires}.0`,
      `+${expires}`,
      `0${expires}`,
      ` ${expires}`,
      `${expires}e0`,
      '-1',
      '1e400',
      '99999999999999999999',
    ];
    for (const form of forms)
      expect(verifyLink('export-1', form, signature, [KEY_A], NOW), form).toBe('invalid');
    for (const number of [Number.NaN, Infinity, -1, expires + 0.5])
      expect(verifyLink('export-1', number, signature, [KEY_A], NOW)).toBe('invalid');
  });

  it('garbage of any type is invalid, never an exception', () => {
    const { expires, signature } = signLink('export-1', IN_A_DAY, [KEY_A]);
    const loose = verifyLink as (...args: unknown[]) => unknown;
    expect(loose(undefined, expires, signature, [KEY_A], NOW)).toBe('invalid');
    expect(loose('export-1', undefined, signature, [KEY_A], NOW)).toBe('invalid');
    expect(loose('export-1', expires, undefined, [KEY_A], NOW)).toBe('invalid');
    expect(loose('export-1', expires, ['array'], [KEY_A], NOW)).toBe('invalid');
    expect(loose('export-1', { valueOf: () => expires }, signature, [KEY_A], NOW)).toBe('invalid');
    expect(loose('export-1', expires, signature, [], NOW)).toBe('invalid');
    expect(loose('export-1', expires, signature, [undefined, ''], NOW)).toBe('invalid');
    expect(loose('export-1', expires, signature, undefined, NOW)).toBe('invalid');
    expect(loose('export-1', expires, signature, [KEY_A], 'not a date')).toBe('invalid');
  });

  it('signing needs a key', () => {
    expect(() => signLink('export-1', IN_A_DAY, [])).toThrow(/no signing key/);
  });
});

describe('signing keys in the configuration', () => {
  const base = { DATABASE_URL: 'postgres://u@127.0.0.1:5432/db' };

  it('EXPORT_SIGNING_KEYS is a comma-separated list, first key first', () => {
    const config = loadConfig({
      ...base,
      NODE_ENV: 'test',
      EXPORT_SIGNING_KEYS: ` ${KEY_B}, ${KEY_A},`,
    });
    expect(config.exports.signingKeys).toEqual([KEY_B, KEY_A]);
    expect(parseSigningKeys(undefined)).toEqual([]);
  });

  it('refuses keys shorter than 32 characters', () => {
    expect(() =>
      loadConfig({ ...base, NODE_ENV: 'test', EXPORT_SIGNING_KEYS: `${KEY_A},short` }),
    ).toThrow(/EXPORT_SIGNING_KEYS: every comma-separated key must be at least 32 characters/);
  });

  it('production outside demo mode: exports stay off without keys, and EXPORTS_ENABLED=true needs them', () => {
    const off = loadConfig({ ...base, NODE_ENV: 'production' });
    expect(off.exports).toMatchObject({ enabled: false, signingKeys: [] });
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', EXPORTS_ENABLED: 'true' })).toThrow(
      /EXPORT_SIGNING_KEYS: required in production/,
    );
    const on = loadConfig({ ...base, NODE_ENV: 'production', EXPORT_SIGNING_KEYS: KEY_A });
    expect(on.exports).toMatchObject({ enabled: true, signingKeys: [KEY_A] });
  });

  it('demo and development run without keys (a key is made at boot, with a warning)', () => {
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'memory://' }).exports.enabled).toBe(
      true,
    );
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).exports.enabled).toBe(true);
    const warnings: string[] = [];
    const keys = resolveSigningKeys([], { warn: (message) => warnings.push(message) });
    expect(keys).toHaveLength(1);
    expect(keys[0]!.length).toBeGreaterThanOrEqual(32);
    expect(warnings.join()).toMatch(/stop working when this process restarts/);
    expect(resolveSigningKeys([], { warn: () => {} })).not.toEqual(keys);
    // Configured keys are used as they are, silently.
    expect(resolveSigningKeys([KEY_A], { warn: (m) => warnings.push(m) })).toEqual([KEY_A]);
    expect(warnings).toHaveLength(1);
    const signed = signLink('e', IN_A_DAY, keys);
    expect(verifyLink('e', signed.expires, signed.signature, keys, NOW)).toBe('valid');
  });
});
