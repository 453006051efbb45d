import { HttpException, HttpStatus, type Logger } from '@nestjs/common';

/** Bad input gets a clear 4xx; a storage failure a 503, so the provider delivers again later. */
export class WebhookRejected extends HttpException {
  constructor(status: HttpStatus, code: string, message: string) {
    super({ error: code, message }, status);
  }
}

export function badSignature(logger: Logger, source: string, address: string | undefined, why: string): WebhookRejected {
  logger.warn(`${source} webhook refused from ${address ?? 'unknown address'}: ${why}`);
  return new WebhookRejected(HttpStatus.UNAUTHORIZED, 'bad_signature', 'signature missing or wrong');
}

export function malformed(message: string): WebhookRejected {
  return new WebhookRejected(HttpStatus.BAD_REQUEST, 'malformed', message);
}

export function parseJson(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) throw malformed('empty body');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw malformed('body is not JSON');
  }
}

/** Runs the store step; a failure there is ours, not the sender's, so they are asked to retry. */
export async function storeOr503<T>(logger: Logger, source: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    logger.error(`${source} webhook could not be stored: ${(error as Error).message}`);
    throw new WebhookRejected(HttpStatus.SERVICE_UNAVAILABLE, 'unavailable', 'could not store the delivery; retry later');
  }
}
