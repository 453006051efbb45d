import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';

/** dist/apps/desk/src/web → dist/desk-web, where `npm run build` puts the web desk. */
export function defaultStaticDir(): string {
  return resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../desk-web');
}

/**
 * Serves the built web desk: hashed assets cached for a year, and index.html (never cached) for
 * any other page path so the app's own routes load on refresh.
 */
export function webApp(dir: string): (req: Request, res: Response, next: NextFunction) => void {
  const index = join(dir, 'index.html');
  const assets = express.static(dir, {
    index: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // Read once: a new build means a restart, as it does for the API.
  const page = existsSync(index) ? readFileSync(index) : undefined;
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path.startsWith('/api/') || req.path === '/api' || req.path === '/health') return next();
    assets(req, res, () => {
      if (req.path.startsWith('/assets/')) return next();
      if (!page) {
        res.status(503).type('text/plain').send('The web desk is not built: run `npm run build`.');
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(page);
    });
  };
}
