import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Paths from this file, so the build works from any working directory (npm runs it from the repo root). */
const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig(({ command }) => ({
  root: here('.'),
  base: '/',
  publicDir: false,
  resolve: {
    alias: { '@desk/domain': here('../../libs/domain/src/index.ts') },
  },
  // Vite 8 compiles TSX with oxc; @vitejs/plugin-react is not needed for the automatic runtime
  // (only for fast refresh, which we do without).
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'react', development: command === 'serve' },
  },
  build: {
    outDir: here('../../dist/desk-web'),
    emptyOutDir: true,
    // Every supported browser has modulepreload; the polyfill would only add bytes.
    modulePreload: { polyfill: false },
    // The server's CSP has no font-src data: — inlined assets would be refused, so nothing is inlined.
    assetsInlineLimit: 0,
  },
  server: {
    // `vite --config apps/desk-web/vite.config.ts` against a desk API on its usual port.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
}));
