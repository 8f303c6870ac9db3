// The tables, one file per area; drizzle-kit and the app both read this barrel.
export * from './tables/core.js';
export * from './tables/reports.js';
export * from './tables/webhooks.js';
