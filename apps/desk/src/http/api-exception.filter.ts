import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { API_ERROR_CODES, type ApiError } from '@desk/domain';

const CODES: Record<number, ApiError['error']> = {
  400: 'invalid',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'invalid',
  429: 'rate_limited',
};

/**
 * Every /api error leaves as `{ error, message }`, including Nest's own (bad JSON, a malformed id,
 * an unknown route) and unexpected failures, whose details stay in the log, not the response.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    if (res.headersSent) return;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'object' && body !== null && API_ERROR_CODES.includes((body as ApiError).error)) {
        res.status(status).json(body);
        return;
      }
      const message = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? exception.message);
      res.status(status).json({ error: CODES[status] ?? (status >= 500 ? 'internal' : 'invalid'), message } satisfies ApiError);
      return;
    }
    this.logger.error(`${req.method} ${req.path} failed: ${(exception as Error)?.stack ?? String(exception)}`);
    res.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ error: 'internal', message: 'Something went wrong on the desk; it has been logged.' } satisfies ApiError);
  }
}
