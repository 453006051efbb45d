import type { NextFunction, Request, Response } from 'express';

export type RawBodyRequest = Request & { rawBody?: Buffer };

/**
 * Reads a webhook's body as bytes, because signatures are over the exact bytes sent. A body over
 * `limit` is answered 413 at once (and drained, so the connection stays usable); nothing is parsed.
 */
export function rawBody(limit: number) {
  return (req: RawBodyRequest, res: Response, next: NextFunction): void => {
    const declared = Number(req.headers['content-length']);
    const tooLarge = () => res.status(413).json({ error: 'payload_too_large', message: `body over ${limit} bytes` });
    if (Number.isFinite(declared) && declared > limit) {
      tooLarge();
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      req.rawBody = Buffer.concat(chunks);
      next();
    });
    req.on('error', (error) => {
      if (!refused && !res.headersSent) res.status(400).json({ error: 'bad_request', message: error.message });
    });
  };
}
