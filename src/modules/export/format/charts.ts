import { createRequire } from 'node:module';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import { FONT_BOLD_PATH, FONT_FAMILY, FONT_REGULAR_PATH } from './fonts.js';
import type { ColumnFormat, ExportDocument } from './types.js';

export interface ChartSize {
  width: number;
  height: number;
}

const SERIES_SIZE: ChartSize = { width: 720, height: 280 };
const PLATFORMS_SIZE: ChartSize = { width: 720, height: 240 };
const CURRENT = 'Current period';
const PREVIOUS = 'Previous period';

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

const CONFIG = {
  font: FONT_FAMILY,
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, labelColor: '#333', titleColor: '#333' },
  legend: { labelFontSize: 11, orient: 'bottom' },
  title: { fontSize: 14, anchor: 'start', color: '#111' },
};

const require = createRequire(import.meta.url);

async function toSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded on first use: vega and vega-lite weigh ~35 MB, and CSV or JSON exports need neither.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  // No renderer: the scenegraph is built headless and serialised, so no canvas or browser.
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The series as a line chart (current period, plus the previous one dashed), or null if empty. */
export async function renderSeriesSvg(
  doc: ExportDocument,
  size: ChartSize = SERIES_SIZE,
): Promise<string | null> {
  const series = doc.series;
  if (!series || series.points.length === 0) return null;
  const values: { date: string; value: number; period: string }[] = [];
  for (const point of series.points) {
    values.push({ date: point.date, value: point.value, period: CURRENT });
    if (point.previous !== null)
      values.push({ date: point.date, value: point.previous, period: PREVIOUS });
  }
  const periods = values.some((v) => v.period === PREVIOUS) ? [CURRENT, PREVIOUS] : [CURRENT];
  return toSvg({
    width: size.width,
    height: size.height,
    autosize: { type: 'fit', contains: 'padding' },
    title: series.label,
    data: { values },
    encoding: {
      // Dates are calendar days already in the report's zone: read and show them as UTC, so the
      // server's own zone cannot shift a day.
      x: {
        field: 'date',
        type: 'temporal',
        timeUnit: 'utcyearmonthdate',
        title: 'Date',
        axis: {
          format: '%b %d',
          labelOverlap: true,
          // At most ~8 labels, never two on one day.
          tickCount: { interval: 'day', step: Math.max(1, Math.ceil(series.points.length / 8)) },
        },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: series.label,
        axis: { format: axisFormat(series.format) },
      },
      color: {
        field: 'period',
        type: 'nominal',
        scale: { domain: periods, range: ['#2563eb', '#9ca3af'] },
        legend: { title: null, symbolType: 'stroke' },
      },
    },
    // Two layers rather than a strokeDash encoding: its "solid" dash [1, 0] is a zero-length gap,
    // which pdfkit refuses.
    layer: [
      {
        transform: [{ filter: { field: 'period', equal: CURRENT } }],
        mark: { type: 'line', point: series.points.length <= 31, strokeWidth: 2 },
      },
      {
        transform: [{ filter: { field: 'period', equal: PREVIOUS } }],
        mark: { type: 'line', strokeWidth: 1.5, strokeDash: [4, 3] },
      },
    ],
    config: CONFIG,
  } as TopLevelSpec);
}

/** One bar per platform, or null when there are none. */
export async function renderPlatformsSvg(
  doc: ExportDocument,
  size: ChartSize = PLATFORMS_SIZE,
): Promise<string | null> {
  const platforms = doc.platforms;
  if (!platforms || platforms.values.length === 0) return null;
  return toSvg({
    width: size.width,
    height: size.height,
    autosize: { type: 'fit', contains: 'padding' },
    title: platforms.label,
    data: { values: platforms.values },
    mark: { type: 'bar', color: '#2563eb', cornerRadiusEnd: 2 },
    encoding: {
      y: { field: 'platform', type: 'nominal', title: 'Platform', sort: '-x' },
      x: {
        field: 'value',
        type: 'quantitative',
        title: platforms.label,
        axis: { format: axisFormat(platforms.format) },
      },
    },
    config: CONFIG,
  } as TopLevelSpec);
}

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
