import { createRequire } from 'node:module';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import { scaleBand, scaleLinear, scaleUtc } from 'd3-scale';
import { line } from 'd3-shape';
import { utcFormat } from 'd3-time-format';
import { escapeHtml } from '../../../lib/escape.js';
import { FONT_BOLD_PATH, FONT_FAMILY, FONT_REGULAR_PATH } from './fonts.js';
import type { ColumnFormat, ExportDocument } from './types.js';

/**
 * The exports' two charts (a daily series, a bar per platform) as plain SVG built with d3's
 * scales and path generators. They are two fixed shapes: a grammar-of-graphics engine (vega,
 * which drew them before) cost ~40 MB of resident memory and ~0.5 s per export for them.
 */

export interface ChartSize {
  width: number;
  height: number;
}

const SERIES_SIZE: ChartSize = { width: 720, height: 280 };
const PLATFORMS_SIZE: ChartSize = { width: 720, height: 240 };
const CURRENT = 'Current period';
const PREVIOUS = 'Previous period';
const BLUE = '#2563eb';
const GREY = '#9ca3af';
const GRID = '#dddddd';
const AXIS = '#888888';
const INK = '#333333';
const LABEL_SIZE = 11;
const TITLE_SIZE = 14;
/** DejaVu Sans averages ~0.6 em per character; margins only need an estimate. */
const textWidth = (text: string, size = LABEL_SIZE) => text.length * size * 0.62;
const DAY_MS = 86_400_000;
const dayLabel = utcFormat('%b %d');

/** d3-format for an axis of this format (percent values are ratios, d3's `%` multiplies). */
function axisFormat(format: ColumnFormat): string {
  switch (format) {
    case 'percent':
      return '.1%';
    case 'decimal':
    case 'currency':
      return ',.2~f';
    default:
      return ',~r';
  }
}

const num = (n: number) => String(Math.round(n * 100) / 100);

interface TextOptions {
  anchor?: 'start' | 'middle' | 'end';
  size?: number;
  bold?: boolean;
  fill?: string;
  rotate?: boolean;
}

function text(x: number, y: number, content: string, options: TextOptions = {}): string {
  const { anchor = 'start', size = LABEL_SIZE, bold = false, fill = INK, rotate = false } = options;
  const place = rotate
    ? `transform="translate(${num(x)},${num(y)}) rotate(-90)"`
    : `x="${num(x)}" y="${num(y)}"`;
  return (
    `<text ${place} text-anchor="${anchor}" font-size="${size}"` +
    `${bold ? ' font-weight="bold"' : ''} fill="${fill}">${escapeHtml(content)}</text>`
  );
}

const segment = (x1: number, y1: number, x2: number, y2: number, stroke: string) =>
  `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" stroke="${stroke}" stroke-width="1"/>`;

function svgDocument(size: ChartSize, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}"`,
    ` viewBox="0 0 ${size.width} ${size.height}" font-family="${FONT_FAMILY}">`,
    `<rect width="${size.width}" height="${size.height}" fill="white"/>`,
    text(4, TITLE_SIZE, title, { size: TITLE_SIZE, bold: true, fill: '#111111' }),
    ...body,
    '</svg>',
  ].join('');
}

/** The series as a line chart (current period, plus the previous one dashed), or null if empty. */
export function renderSeriesSvg(doc: ExportDocument, size: ChartSize = SERIES_SIZE): string | null {
  const series = doc.series;
  if (!series || series.points.length === 0) return null;
  // Dates are calendar days already in the report's zone: read and shown as UTC, so the
  // server's own zone cannot shift a day.
  const points = series.points.map((p) => ({ ...p, at: Date.parse(`${p.date}T00:00:00Z`) }));
  const withPrevious = points.filter((p) => p.previous !== null);
  const values = [...points.map((p) => p.value), ...withPrevious.map((p) => p.previous!)];
  const y = scaleLinear()
    .domain([Math.min(0, ...values), Math.max(...values, 0) || 1])
    .nice(5);
  const yTicks = y.ticks(5);
  const yLabel = y.tickFormat(5, axisFormat(series.format));

  const left = 24 + Math.max(...yTicks.map((t) => textWidth(yLabel(t)))) + 8;
  const top = TITLE_SIZE + 16;
  const bottom = size.height - 64;
  const right = size.width - 8;
  const first = points[0]!.at;
  const last = points.at(-1)!.at;
  // One day alone still gets a day's width, so its point sits in the middle.
  const x = scaleUtc()
    .domain(first === last ? [first - DAY_MS / 2, last + DAY_MS / 2] : [first, last])
    .range([left, right]);
  y.range([bottom, top]);

  const body: string[] = [];
  for (const t of yTicks) {
    body.push(segment(left, y(t), right, y(t), GRID));
    body.push(text(left - 6, y(t) + 4, yLabel(t), { anchor: 'end' }));
  }
  // At most ~8 date labels, never two on one day.
  const step = Math.max(1, Math.ceil(points.length / 8));
  for (let i = 0; i < points.length; i += step) {
    const label = dayLabel(new Date(points[i]!.at));
    const at = x(points[i]!.at);
    const half = textWidth(label) / 2;
    body.push(segment(at, top, at, bottom, GRID));
    body.push(segment(at, bottom, at, bottom + 5, AXIS));
    body.push(
      text(Math.min(Math.max(at, half), size.width - half), bottom + 18, label, {
        anchor: 'middle',
      }),
    );
  }
  body.push(segment(left, top, left, bottom, AXIS), segment(left, bottom, right, bottom, AXIS));
  body.push(text((left + right) / 2, bottom + 38, 'Date', { anchor: 'middle', bold: true }));
  body.push(
    text(12, (top + bottom) / 2, series.label, { anchor: 'middle', bold: true, rotate: true }),
  );

  const path = line<{ at: number; v: number }>()
    .x((p) => x(p.at))
    .y((p) => y(p.v));
  if (withPrevious.length > 0) {
    const d = path(withPrevious.map((p) => ({ at: p.at, v: p.previous! })));
    body.push(
      `<path d="${d}" fill="none" stroke="${GREY}" stroke-width="1.5" stroke-dasharray="4 3"/>`,
    );
  }
  body.push(
    `<path d="${path(points.map((p) => ({ at: p.at, v: p.value })))}" fill="none" stroke="${BLUE}" stroke-width="2"/>`,
  );
  if (points.length <= 31)
    for (const p of points)
      body.push(`<circle cx="${num(x(p.at))}" cy="${num(y(p.value))}" r="2.5" fill="${BLUE}"/>`);

  const legendY = size.height - 8;
  let legendX = left;
  for (const [label, color, dash] of [
    [CURRENT, BLUE, ''],
    ...(withPrevious.length > 0 ? [[PREVIOUS, GREY, ' stroke-dasharray="4 3"']] : []),
  ] as [string, string, string][]) {
    body.push(
      `<line x1="${num(legendX)}" y1="${legendY - 4}" x2="${num(legendX + 16)}" y2="${legendY - 4}" stroke="${color}" stroke-width="2"${dash}/>`,
    );
    body.push(text(legendX + 22, legendY, label));
    legendX += 22 + textWidth(label) + 36;
  }
  return svgDocument(size, series.label, body);
}

/** One bar per platform, largest first, or null when there are none. */
export function renderPlatformsSvg(
  doc: ExportDocument,
  size: ChartSize = PLATFORMS_SIZE,
): string | null {
  const platforms = doc.platforms;
  if (!platforms || platforms.values.length === 0) return null;
  const values = [...platforms.values].sort((a, b) => b.value - a.value);
  const left = 24 + Math.max(...values.map((v) => textWidth(v.platform))) + 10;
  const right = size.width - 24;
  const top = TITLE_SIZE + 12;
  const bottom = size.height - 44;
  const x = scaleLinear()
    .domain([
      Math.min(0, ...values.map((v) => v.value)),
      Math.max(0, ...values.map((v) => v.value)) || 1,
    ])
    .nice(6)
    .range([left, right]);
  const y = scaleBand()
    .domain(values.map((v) => v.platform))
    .range([top, bottom])
    .padding(0.1);
  const xTicks = x.ticks(6);
  const xLabel = x.tickFormat(6, axisFormat(platforms.format));

  const body: string[] = [];
  for (const t of xTicks) {
    body.push(segment(x(t), top, x(t), bottom, GRID));
    body.push(segment(x(t), bottom, x(t), bottom + 5, AXIS));
    body.push(text(x(t), bottom + 18, xLabel(t), { anchor: 'middle' }));
  }
  for (const v of values) {
    const from = Math.min(x(0), x(v.value));
    const band = y(v.platform)!;
    body.push(
      `<rect x="${num(from)}" y="${num(band)}" width="${num(Math.abs(x(v.value) - x(0)))}" height="${num(y.bandwidth())}" rx="2" fill="${BLUE}"/>`,
    );
    const middle = band + y.bandwidth() / 2;
    body.push(segment(left - 5, middle, left, middle, AXIS));
    body.push(text(left - 8, middle + 4, v.platform, { anchor: 'end' }));
  }
  body.push(segment(left, top, left, bottom, AXIS), segment(left, bottom, right, bottom, AXIS));
  body.push(
    text((left + right) / 2, bottom + 38, platforms.label, { anchor: 'middle', bold: true }),
  );
  body.push(
    text(12, (top + bottom) / 2, 'Platform', { anchor: 'middle', bold: true, rotate: true }),
  );
  return svgDocument(size, platforms.label, body);
}

const require = createRequire(import.meta.url);

/** Rasterises an SVG (by default at its own width) with the bundled DejaVu fonts only. */
export function svgToPng(svg: string, width?: number): Buffer {
  const { Resvg } = require('@resvg/resvg-js') as { Resvg: typeof ResvgClass };
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: width ? { mode: 'width', value: Math.round(width) } : { mode: 'original' },
    font: {
      fontFiles: [FONT_REGULAR_PATH, FONT_BOLD_PATH],
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  });
  return resvg.render().asPng();
}
