import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/env.js';
import { createMailer, listCapturedMail } from '../../../src/modules/mail/index.js';
import { runToEnd } from '../../helpers/process.js';

// `npm run cli -- mail list | mail show <id>` read MAIL_CAPTURE_DIR only: no database is given.
const mailCli = (dir: string, args: string[]) =>
  runToEnd('src/cli/index.ts', ['mail', ...args], { MAIL_CAPTURE_DIR: dir });

describe('npm run cli -- mail', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-mail-cli-'));
    const mailer = createMailer(
      loadConfig({ NODE_ENV: 'test', MAIL_CAPTURE_DIR: dir }).mail,
      pino({ level: 'silent' }),
    );
    await mailer.send({
      to: ['ada@example.com'],
      subject: 'Weekly performance',
      text: 'Views: 1,237',
      html: '<p>Views: 1,237</p>',
      attachments: [
        { filename: 'report.csv', content: Buffer.alloc(2048, 'a'), contentType: 'text/csv' },
      ],
    });
    await mailer.send({
      to: ['grace@example.org', 'linus@example.net'],
      subject: 'Export ready',
      text: 'Download: http://127.0.0.1:4000/exports/x',
      html: '<a href="http://127.0.0.1:4000/exports/x">Download</a>',
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('mail list prints a table of captured messages, newest first', async () => {
    const [newest, oldest] = await listCapturedMail(dir);
    const { code, stdout, stderr } = await mailCli(dir, ['list']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+DATE\s+TO\s+SUBJECT\s+ATTACHMENTS$/);
    expect(lines[1]).toMatch(
      new RegExp(
        `^${newest!.id}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\s+grace@example.org, linus@example.net\\s+Export ready\\s+-$`,
      ),
    );
    expect(lines[2]).toMatch(
      new RegExp(
        `^${oldest!.id}\\s+.*ada@example.com\\s+Weekly performance\\s+report.csv \\(2.0 KiB\\)$`,
      ),
    );
    expect(lines[3]).toBe(`2 message(s) in ${dir}`);
  });

  it('mail show <id> prints the message source', async () => {
    const [, oldest] = await listCapturedMail(dir);
    const { code, stdout } = await mailCli(dir, ['show', oldest!.id]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Subject: Weekly performance$/m);
    expect(stdout).toMatch(/^To: ada@example.com$/m);
    expect(stdout).toMatch(/^From: Pulse <pulse@localhost>$/m);
    expect(stdout).toMatch(/filename=report.csv/);
  });

  it('mail show of an unknown id, without an id, and an empty folder', async () => {
    const [unknown, missing, empty] = await Promise.all([
      mailCli(dir, ['show', '20990101T000000000Z-deadbeef']),
      mailCli(dir, ['show']),
      mailCli(join(dir, 'none-yet'), ['list']),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No captured mail with id 20990101T000000000Z-deadbeef');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('mail show <id>');
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe(`No captured mail in ${join(dir, 'none-yet')}\n`);
  });
});
