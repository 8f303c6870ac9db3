import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Fonts come from the dejavu-fonts-ttf package, never from the system: same output everywhere. */
export const FONT_FAMILY = 'DejaVu Sans';
export const FONT_REGULAR_PATH = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
export const FONT_BOLD_PATH = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

let buffers: { regular: Buffer; bold: Buffer } | null = null;

/** Read once, on first use (about 1 MB together). */
export function fontBuffers(): { regular: Buffer; bold: Buffer } {
  buffers ??= { regular: readFileSync(FONT_REGULAR_PATH), bold: readFileSync(FONT_BOLD_PATH) };
  return buffers;
}
