import { HttpException } from '@nestjs/common';
import type { ApiError } from '@desk/domain';

const STATUS: Record<ApiError['error'], number> = {
  unauthenticated: 401,
  forbidden: 403,
  csrf: 403,
  rate_limited: 429,
  invalid: 400,
  not_found: 404,
  conflict: 409,
  internal: 500,
};

/** Every API error leaves as `{ error, message }`, the shape the web desk reads. */
export class ApiException extends HttpException {
  constructor(code: ApiError['error'], message: string, extra: Record<string, unknown> = {}) {
    super({ error: code, message, ...extra } satisfies ApiError & Record<string, unknown>, STATUS[code]);
  }
}

export const notFound = (what: string) => new ApiException('not_found', `${what} not found`);
