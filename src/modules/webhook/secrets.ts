import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { Db } from '../../db/client.js';
import { webhookKeyTable } from '../../db/schema.js';

/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export const generateWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** A message id (`webhook-id`): `msg_` + 24 random bytes, base64url. */
export const generateMessageId = () => `msg_${randomBytes(18).toString('base64url')}`;

/**
 * Encrypts endpoint secrets at rest (AES-256-GCM). They are HMAC keys Pulse must sign with, so
 * they cannot be hashed like API keys; they are shown once, at creation and rotation, and never
 * returned again.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** From WEBHOOK_SECRET_KEY, or else the key generated once and kept in `webhook_keys`. */
  static async open(db: Db, configured: Buffer | undefined): Promise<SecretBox> {
    if (configured) return new SecretBox(configured);
    await db
      .insert(webhookKeyTable)
      .values({ id: 1, key: randomBytes(32).toString('base64') })
      .onConflictDoNothing();
    const [row] = await db.select().from(webhookKeyTable);
    return new SecretBox(Buffer.from(row!.key, 'base64'));
  }

  seal(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
  }

  open(stored: string): string {
    if (!stored.startsWith('v1:')) throw new Error('webhook secret: unknown format');
    const raw = Buffer.from(stored.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

/**
 * The three Standard Webhooks headers for one attempt. Every secret given signs (the current one
 * first, then the one before a rotation during its grace): `v1,<sig> v1,<sig>`.
 */
export function signatureHeaders(
  secrets: readonly string[],
  messageId: string,
  at: Date,
  body: string,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets
      .map((secret) => new Webhook(secret).sign(messageId, at, body))
      .join(' '),
  };
}
