import { fileURLToPath } from 'node:url';

/** The dashboards' sources (Vite root) and their build output, next to the server's sources. */
export const CLIENT_DIR = fileURLToPath(new URL('../../client/', import.meta.url));
export const DIST_DIR = fileURLToPath(new URL('../../client/dist/', import.meta.url));
export const VITE_CONFIG = fileURLToPath(new URL('../../client/vite.config.ts', import.meta.url));
