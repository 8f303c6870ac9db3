import type { ExportRecord, ReportRecord, ReportRunRecord, User } from '../../db/schema.js';
import { buildExportDocument } from '../export/export.document.js';
import { downloadLink } from '../export/export.service.js';
import type { ExportServices } from '../export/export.services.js';
import { formatValue, type SummaryFigure } from '../export/format/index.js';
import type { MailAttachment, Mailer } from '../mail/index.js';
import type { ResolvedDefinition } from './definition.js';
import { describeSchedule } from './schedule.js';

/** Files are attached while their total stays under this; past it the mail carries links only. */
export const MAIL_ATTACHMENT_LIMIT_BYTES = 10 * 1024 * 1024;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function change(figure: SummaryFigure): string {
  if (figure.previous === null || figure.previous === 0) return '';
  const percent = ((figure.value - figure.previous) / Math.abs(figure.previous)) * 100;
  return `${percent >= 0 ? '▲' : '▼'} ${Math.abs(percent).toFixed(1)} %`;
}

/** Sends a scheduled run's files to the report's recipients: figures in the body, files attached or linked. */
export async function mailRun(
  deps: { exports: ExportServices; mailer: Mailer },
  input: {
    report: ReportRecord;
    owner: User;
    run: ReportRunRecord;
    files: ExportRecord[];
    resolved: ResolvedDefinition;
  },
): Promise<void> {
  const { report, owner, files, resolved } = input;
  const { exports } = deps;
  const doc = await buildExportDocument({
    db: exports.db,
    owner,
    input: resolved.input,
    settings: { now: Date.now(), hourlyRetentionDays: exports.settings.hourlyRetentionDays },
    title: report.name,
    maxRows: 1,
  });
  const range = `${resolved.range.startDate} – ${resolved.range.endDate} (${resolved.timeZone})`;
  const links = files.map((file) => ({ file, link: downloadLink(exports.settings, file) }));
  const total = files.reduce((sum, file) => sum + (file.bytes ?? 0), 0);
  const attach = total <= MAIL_ATTACHMENT_LIMIT_BYTES;
  const attachments: MailAttachment[] = [];
  if (attach)
    for (const file of files) {
      const stored = await exports.storage.open(file.storageKey!);
      attachments.push({
        filename: file.fileName!,
        content: stored.body,
        contentType: file.contentType!,
      });
    }
  const schedule =
    report.scheduleCron && report.scheduleTimeZone
      ? describeSchedule(report.scheduleCron, report.scheduleTimeZone)
      : '';
  const figures = doc.summary.map((figure) => ({
    label: figure.label,
    value: formatValue(figure.format, figure.value),
    change: change(figure),
  }));
  const text = [
    `${report.name}`,
    range,
    '',
    ...figures.map(
      (f) => `${f.label}: ${f.value}${f.change ? ` (${f.change} vs previous period)` : ''}`,
    ),
    '',
    attach ? 'The files are attached. They can also be downloaded:' : 'Download the files:',
    ...links.map(({ file, link }) => `${file.fileName}: ${link?.url ?? 'not available'}`),
    links[0]?.link ? `Links work until ${links[0].link.expiresAt.toISOString()}.` : '',
    '',
    schedule
      ? `You receive this report ${schedule.charAt(0).toLowerCase()}${schedule.slice(1)}.`
      : '',
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<h1 style="font-size:20px">${escapeHtml(report.name)}</h1>
<p style="color:#555">${escapeHtml(range)}</p>
<table cellpadding="6" style="border-collapse:collapse">${figures
    .map(
      (f) =>
        `<tr><td>${escapeHtml(f.label)}</td><td style="text-align:right"><strong>${escapeHtml(f.value)}</strong></td><td style="color:#555">${escapeHtml(f.change)}</td></tr>`,
    )
    .join('')}</table>
<p>${attach ? 'The files are attached. They can also be downloaded:' : 'Download the files:'}</p>
<ul>${links
    .map(({ file, link }) =>
      link
        ? `<li><a href="${escapeHtml(link.url)}">${escapeHtml(file.fileName ?? file.format)}</a></li>`
        : `<li>${escapeHtml(file.fileName ?? file.format)}</li>`,
    )
    .join('')}</ul>
${schedule ? `<p style="color:#777;font-size:12px">${escapeHtml(schedule)}</p>` : ''}
</body></html>`;
  await deps.mailer.send({
    to: report.recipients,
    subject: `${report.name}: ${resolved.range.startDate} – ${resolved.range.endDate}`,
    text,
    html,
    ...(attach ? { attachments } : {}),
  });
}
