import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// The API the dev server proxies to (npm run dev starts it next to Vite).
const api = process.env['PULSE_API_URL'] ?? `http://127.0.0.1:${process.env['PORT'] ?? '4000'}`;

const proxied = { target: api, changeOrigin: false };

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  // Keep Vite from reading the server's .env files: the dashboards take no build-time secrets.
  envDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names under assets/ are served as immutable by the API server.
    assetsDir: 'assets',
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
    // The server builds at first start; per-plugin timing reports would only be noise there.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  server: {
    host: '127.0.0.1',
    port: Number(process.env['VITE_PORT'] ?? 5173),
    strictPort: false,
    proxy: {
      '/graphql': { ...proxied, ws: true },
      '/oauth': proxied,
      '/ingest': proxied,
      '/dashboards/config.json': proxied,
    },
  },
  preview: { port: 4173 },
});
