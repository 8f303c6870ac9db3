import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createTransport } from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../../env.js';
import { isEmailAddress } from './address.js';
import { writeCapturedMail, type CapturedMail } from './capture.js';

export interface MailAttachment {
  filename: string;
  content: Buffer | Readable;
  contentType: string;
}

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments?: MailAttachment[];
}

export interface Mailer {
  readonly kind: 'smtp' | 'capture';
  /** Resolves once the SMTP server accepted the message (or it is captured on disk). */
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

/** The message itself is unusable (no or malformed recipients): retrying will not help. */
export class InvalidMailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMailError';
  }
}

/** The SMTP server could not be reached, or refused the message or a recipient. */
export class MailDeliveryError extends Error {
  /** nodemailer's code, e.g. `EENVELOPE` (refused recipient), `ECONNECTION`, `EAUTH`. */
  readonly code: string | undefined;
  /** The SMTP reply code, e.g. 550; undefined when the server never answered. */
  readonly responseCode: number | undefined;
  /** Recipients the server refused. */
  readonly rejected: string[];

  constructor(cause: unknown) {
    const error = (cause ?? {}) as {
      message?: string;
      code?: string;
      responseCode?: number;
      command?: string;
      rejected?: unknown[];
    };
    const step = error.command ? ` at ${error.command}` : '';
    super(`Mail delivery failed${step}: ${error.message ?? String(cause)}`, { cause });
    this.name = 'MailDeliveryError';
    this.code = error.code;
    this.responseCode = error.responseCode;
    this.rejected = (error.rejected ?? []).map(String);
  }
}

type Prepared = {
  attachments: { filename: string; content: Buffer | Readable; contentType: string }[];
  /** Attachment sizes, final once the message has been sent (streams are counted as read). */
  sizes: () => CapturedMail['attachments'];
  /** After a failed send: ends the attachment streams nodemailer did not read to the end. */
  release: () => void;
};

function prepare(message: MailMessage): Prepared {
  if (!Array.isArray(message.to) || message.to.length === 0)
    throw new InvalidMailError('A message needs at least one recipient');
  const bad = message.to.filter((address) => !isEmailAddress(address));
  if (bad.length)
    throw new InvalidMailError(
      `Not an email address: ${bad.map((a) => JSON.stringify(a)).join(', ')}`,
    );
  const counters: Transform[] = [];
  const counted = (message.attachments ?? []).map((attachment) => {
    const { content } = attachment;
    if (Buffer.isBuffer(content)) return { attachment, size: () => content.length };
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    // A source error reaches the counter (pipeline destroys it), and so nodemailer's send.
    pipeline(content, counter).catch(() => {});
    counters.push(counter);
    return { attachment: { ...attachment, content: counter as Readable }, size: () => bytes };
  });
  return {
    attachments: counted.map(({ attachment }) => ({
      filename: attachment.filename,
      content: attachment.content,
      contentType: attachment.contentType,
    })),
    sizes: () =>
      counted.map(({ attachment, size }) => ({
        filename: attachment.filename,
        contentType: attachment.contentType,
        size: size(),
      })),
    // Destroying a counter destroys its source through the pipeline (a file, an S3 response).
    release: () => counters.forEach((counter) => counter.destroy()),
  };
}

/** Never fetch files or URLs named in a message: content is always given inline. */
const SAFE = { disableFileAccess: true, disableUrlAccess: true } as const;

function smtpMailer(config: Config['mail'], smtpUrl: string, logger: Logger): Mailer {
  const transport = createTransport(
    { url: smtpUrl, ...SAFE, connectionTimeout: 30_000, greetingTimeout: 30_000 },
    { from: config.from },
  );
  return {
    kind: 'smtp',
    async send(message) {
      const prepared = prepare(message);
      try {
        const info = await transport.sendMail({
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          attachments: prepared.attachments,
        });
        logger.info(
          { to: message.to, subject: message.subject, messageId: info.messageId },
          'mail sent',
        );
        return { messageId: info.messageId };
      } catch (error) {
        prepared.release();
        throw new MailDeliveryError(error);
      }
    },
    async close() {
      transport.close();
    },
  };
}

function captureMailer(config: Config['mail'], logger: Logger): Mailer {
  const transport = createTransport(
    { streamTransport: true, buffer: true, ...SAFE },
    { from: config.from },
  );
  return {
    kind: 'capture',
    async send(message) {
      const prepared = prepare(message);
      const info = await transport
        .sendMail({
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          attachments: prepared.attachments,
        })
        .catch((error: unknown) => {
          prepared.release();
          throw error;
        });
      const { meta, path } = await writeCapturedMail(
        config.captureDir,
        {
          from: config.from,
          to: message.to,
          subject: message.subject,
          attachments: prepared.sizes(),
        },
        info.message as Buffer,
      );
      logger.info(
        { id: meta.id, to: message.to, subject: message.subject, path },
        `mail captured (not sent): ${path}`,
      );
      return { messageId: info.messageId };
    },
    async close() {
      transport.close();
    },
  };
}

/**
 * SMTP when `SMTP_URL` is set, else the capture transport: each message lands in
 * `MAIL_CAPTURE_DIR` as `<id>.eml` + `<id>.json`, for `npm run cli -- mail list` / `mail show`.
 */
export function createMailer(config: Config['mail'], logger: Logger): Mailer {
  const child = logger.child({ component: 'mail' });
  return config.transport === 'smtp' && config.smtpUrl
    ? smtpMailer(config, config.smtpUrl, child)
    : captureMailer(config, child);
}
