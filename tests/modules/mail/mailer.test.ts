import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { simpleParser, type AddressObject } from 'mailparser';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/env.js';
import {
  createMailer,
  InvalidMailError,
  isEmailAddress,
  listCapturedMail,
  MailDeliveryError,
  readCapturedMail,
  type MailMessage,
} from '../../../src/modules/mail/index.js';

const silent = pino({ level: 'silent' });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV = 'video,views\r\n"=HYPERLINK(""x"")",1200\r\nÉté à Paris,37\r\n';

const message = (overrides: Partial<MailMessage> = {}): MailMessage => ({
  to: ['ada@example.com', 'grace@example.org'],
  subject: 'Weekly report — été',
  text: 'Views: 1,237 (+12% on last week)',
  html: '<h1>Weekly report</h1><p>Views: <b>1,237</b> (+12% on last week)</p>',
  attachments: [{ filename: 'report.csv', content: Buffer.from(CSV), contentType: 'text/csv' }],
  ...overrides,
});

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((f) =>
    f.value.map((v) => v.address),
  );

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('SMTP transport (smtp-server in this process)', () => {
  let server: SMTPServer;
  let port: number;
  let received: { raw: Buffer; from: string; to: string[]; user: string | undefined }[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'pulse' && auth.password === 's3cret')
          return callback(null, { user: auth.username });
        callback(new Error('Invalid username or password'));
      },
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith('@refused.test')) {
          const error = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
          return callback(error);
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            raw: Buffer.concat(chunks),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            user: session.user as string | undefined,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    received = [];
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const smtpMailer = (url = `smtp://pulse:s3cret@127.0.0.1:${port}`, from?: string) =>
    createMailer(
      loadConfig({ NODE_ENV: 'test', SMTP_URL: url, ...(from ? { MAIL_FROM: from } : {}) }).mail,
      silent,
    );

  it('delivers subject, recipients, text and HTML bodies and the attachments, byte for byte', async () => {
    const mailer = smtpMailer(undefined, 'Pulse Reports <reports@pulse.test>');
    expect(mailer.kind).toBe('smtp');
    const big = randomBytes(200_000);
    try {
      const { messageId } = await mailer.send(
        message({
          attachments: [
            { filename: 'report.csv', content: Buffer.from(CSV), contentType: 'text/csv' },
            { filename: 'report.xlsx', content: Readable.from([big]), contentType: XLSX },
          ],
        }),
      );
      expect(received).toHaveLength(1);
      const [mail] = received;
      // The URL's credentials were used, and the envelope matches the headers.
      expect(mail!.user).toBe('pulse');
      expect(mail!.from).toBe('reports@pulse.test');
      expect(mail!.to).toEqual(['ada@example.com', 'grace@example.org']);
      const parsed = await simpleParser(mail!.raw);
      expect(parsed.messageId).toBe(messageId);
      expect(parsed.subject).toBe('Weekly report — été');
      expect(parsed.from?.value).toEqual([
        { name: 'Pulse Reports', address: 'reports@pulse.test' },
      ]);
      expect(addresses(parsed.to)).toEqual(['ada@example.com', 'grace@example.org']);
      expect(parsed.text?.trim()).toBe('Views: 1,237 (+12% on last week)');
      expect(parsed.html).toContain('<p>Views: <b>1,237</b> (+12% on last week)</p>');
      expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
        ['report.csv', 'text/csv'],
        ['report.xlsx', XLSX],
      ]);
      expect(parsed.attachments[0]!.content.equals(Buffer.from(CSV))).toBe(true);
      expect(parsed.attachments[1]!.content.equals(big)).toBe(true);
    } finally {
      await mailer.close();
    }
  });

  it('a recipient the server refuses (550) rejects send with a clear error', async () => {
    const mailer = smtpMailer();
    try {
      const error = await mailer
        .send(message({ to: ['nobody@refused.test'] }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MailDeliveryError);
      const delivery = error as MailDeliveryError;
      expect(delivery.responseCode).toBe(550);
      expect(delivery.code).toBe('EENVELOPE');
      expect(delivery.rejected).toEqual(['nobody@refused.test']);
      expect(delivery.message).toMatch(
        /^Mail delivery failed at RCPT TO: .*550 Mailbox unavailable/,
      );
      expect(received).toEqual([]);
    } finally {
      await mailer.close();
    }
  });

  it('wrong SMTP credentials and an unreachable server reject with MailDeliveryError', async () => {
    const wrong = smtpMailer(`smtp://pulse:wrong@127.0.0.1:${port}`);
    const auth = await wrong.send(message()).catch((e: unknown) => e);
    await wrong.close();
    expect(auth).toBeInstanceOf(MailDeliveryError);
    expect((auth as MailDeliveryError).code).toBe('EAUTH');
    const down = smtpMailer(`smtp://127.0.0.1:${await closedPort()}`);
    // An attachment stream that was never read is ended, not left open (a file, an S3 body).
    const unread = new Readable({ read() {} });
    const refused = await down
      .send(
        message({ attachments: [{ filename: 'r.csv', content: unread, contentType: 'text/csv' }] }),
      )
      .catch((e: unknown) => e);
    await down.close();
    expect(refused).toBeInstanceOf(MailDeliveryError);
    expect((refused as MailDeliveryError).message).toMatch(/ECONNREFUSED/);
    expect(unread.destroyed).toBe(true);
    expect(received).toEqual([]);
  });

  it('refuses malformed recipients before connecting', async () => {
    const mailer = smtpMailer();
    for (const to of [
      [],
      ['not an address'],
      ['ada@example.com, eve@evil.test'],
      ['a@b.c\r\nBcc: x@y.z'],
    ])
      await expect(mailer.send(message({ to }))).rejects.toBeInstanceOf(InvalidMailError);
    await mailer.close();
    expect(received).toEqual([]);
  });
});

describe('capture transport', () => {
  let dir: string;
  const lines: string[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-mail-capture-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const captureMailer = () =>
    createMailer(loadConfig({ NODE_ENV: 'test', MAIL_CAPTURE_DIR: dir }).mail, logger);

  it('is used when SMTP_URL is unset, with the default sender', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).mail).toEqual({
      transport: 'capture',
      smtpUrl: undefined,
      from: 'Pulse <pulse@localhost>',
      captureDir: './.data/mail',
    });
    expect(captureMailer().kind).toBe('capture');
  });

  it('writes <id>.eml and <id>.json, which listCapturedMail and readCapturedMail return', async () => {
    const mailer = captureMailer();
    const stream = randomBytes(70_000);
    const first = await mailer.send(message({ subject: 'First' }));
    const second = await mailer.send(
      message({
        to: ['ada@example.com'],
        subject: 'Second',
        attachments: [
          { filename: 'report.csv', content: Buffer.from(CSV), contentType: 'text/csv' },
          {
            filename: 'report.pdf',
            content: Readable.from([stream]),
            contentType: 'application/pdf',
          },
        ],
      }),
    );
    const list = await listCapturedMail(dir);
    expect(list.map((mail) => mail.subject)).toEqual(['Second', 'First']);
    const [newest] = list;
    expect(newest).toMatchObject({
      from: 'Pulse <pulse@localhost>',
      to: ['ada@example.com'],
      subject: 'Second',
      attachments: [
        { filename: 'report.csv', contentType: 'text/csv', size: Buffer.byteLength(CSV) },
        { filename: 'report.pdf', contentType: 'application/pdf', size: stream.length },
      ],
    });
    expect(new Date(newest!.date).toISOString()).toBe(newest!.date);
    expect((await readdir(dir)).sort()).toEqual(
      list.flatMap((mail) => [`${mail.id}.eml`, `${mail.id}.json`]).sort(),
    );

    const read = await readCapturedMail(dir, newest!.id);
    expect(read?.meta).toEqual(newest);
    const parsed = await simpleParser(read!.eml);
    expect(parsed.messageId).toBe(second.messageId);
    expect(parsed.subject).toBe('Second');
    expect(parsed.text?.trim()).toBe('Views: 1,237 (+12% on last week)');
    expect(parsed.attachments[1]!.content.equals(stream)).toBe(true);
    expect((await simpleParser((await readCapturedMail(dir, list[1]!.id))!.eml)).messageId).toBe(
      first.messageId,
    );

    // One log line per message, with where it is.
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; path: string });
    expect(logged.map((entry) => entry.path)).toEqual(
      [...list].reverse().map((mail) => join(dir, `${mail.id}.eml`)),
    );
    expect(logged[0]!.msg).toBe(`mail captured (not sent): ${join(dir, `${list[1]!.id}.eml`)}`);
  });

  it('readCapturedMail: null for an unknown or malformed id (no path tricks)', async () => {
    for (const id of ['20990101T000000000Z-00000000', '../x', '', 'a/b', '..', 'x.json'])
      expect(await readCapturedMail(dir, id)).toBeNull();
    expect(await listCapturedMail(join(dir, 'does-not-exist'))).toEqual([]);
  });

  it('an attachment stream that fails makes send reject, and nothing is captured', async () => {
    const before = await readdir(dir);
    const failing = Readable.from(
      (async function* () {
        yield Buffer.from('partial');
        throw new Error('the export broke');
      })(),
    );
    await expect(
      captureMailer().send(
        message({
          attachments: [{ filename: 'x.csv', content: failing, contentType: 'text/csv' }],
        }),
      ),
    ).rejects.toThrow('the export broke');
    expect(await readdir(dir)).toEqual(before);
  });
});

describe('mail configuration and addresses', () => {
  it('SMTP_URL selects SMTP; bad URLs and senders are configuration errors', () => {
    const url = 'smtps://user:pass@mail.example.com:465';
    expect(loadConfig({ NODE_ENV: 'test', SMTP_URL: url }).mail).toMatchObject({
      transport: 'smtp',
      smtpUrl: url,
    });
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.com' })).toThrow(
      /SMTP_URL: must be smtp:/,
    );
    expect(() => loadConfig({ MAIL_FROM: 'Pulse <not-an-address>' })).toThrow(/MAIL_FROM/);
    for (const from of ['reports@pulse.test', 'Pulse <pulse@localhost>', '"Pulse, Inc." <a@b.co>'])
      expect(loadConfig({ NODE_ENV: 'test', MAIL_FROM: from }).mail.from).toBe(from);
  });

  it('isEmailAddress accepts ordinary addresses and refuses what is not one', () => {
    for (const good of [
      'ada@example.com',
      'a.b+reports@sub.example.co.uk',
      'ops@localhost',
      "o'neil@x.io",
    ])
      expect(isEmailAddress(good), good).toBe(true);
    const bad = [
      '',
      'ada',
      'ada@',
      '@example.com',
      'ada@@example.com',
      'ada @example.com',
      'ada@example.com ',
      'Ada <ada@example.com>',
      'ada@example.com,bob@example.com',
      'ada@example.com\r\nBcc: eve@evil.test',
      '.ada@example.com',
      'ada.@example.com',
      'a..da@example.com',
      'ada@-example.com',
      'ada@example..com',
      `${'a'.repeat(65)}@example.com`,
      `ada@${'a'.repeat(250)}.com`,
    ];
    for (const value of bad) expect(isEmailAddress(value), value).toBe(false);
  });
});
