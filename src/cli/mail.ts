import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../env.js';
import { listCapturedMail, readCapturedMail, type CapturedMail } from '../modules/mail/index.js';

// `npm run cli -- mail list | mail show <id>`: the capture transport's messages (MAIL_CAPTURE_DIR).
// Plain files, no database: it works while the server holds the embedded database's lock.

export const MAIL_USAGE = `  mail list                  captured mail (no SMTP_URL): id, date, to, subject, attachments
  mail show <id>             print one captured message (.eml)`;

const kib = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join('  '),
    )
    .join('\n');
}

const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

export function formatMailList(mails: CapturedMail[], dir: string): string {
  if (mails.length === 0) return `No captured mail in ${dir}\n`;
  const rows = mails.map((mail) => [
    mail.id,
    mail.date.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    clip(mail.to.join(', '), 40),
    clip(mail.subject, 60),
    mail.attachments.map((a) => `${a.filename} (${kib(a.size)})`).join(', ') || '-',
  ]);
  return `${table([['ID', 'DATE', 'TO', 'SUBJECT', 'ATTACHMENTS'], ...rows])}\n${mails.length} message(s) in ${dir}\n`;
}

/** Runs `mail <action> …operands`; returns the exit code (2: usage, 1: not found or bad config). */
export async function runMailCommand(action: string, operands: string[]): Promise<number> {
  let dir: string;
  try {
    dir = resolve(loadConfig().mail.captureDir);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  if (action === 'list') {
    process.stdout.write(formatMailList(await listCapturedMail(dir), dir));
    return 0;
  }
  if (action === 'show') {
    const id = operands[0];
    if (!id) {
      process.stderr.write('mail show needs the id from `mail list`: mail show <id>\n');
      return 2;
    }
    const mail = await readCapturedMail(dir, id);
    if (!mail) {
      process.stderr.write(`No captured mail with id ${id} in ${dir}\n`);
      return 1;
    }
    process.stdout.write(mail.eml.endsWith('\n') ? mail.eml : `${mail.eml}\n`);
    return 0;
  }
  process.stderr.write(`Unknown command "mail ${action}".\n\n${MAIL_USAGE}\n`);
  return 2;
}
