import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { ServiceConfig } from '@desk/config';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Keys whose values never reach a log line, at any depth of a logged object. */
export const REDACTED_KEYS = [
  'password',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'apiKey',
  'authorization',
  'cookie',
  'appSecret',
  'consumerSecret',
];

/** One JSON object per line on stdout, naming the service, at or above the configured level. */
export class JsonLogger extends ConsoleLogger {
  constructor(private readonly service: string, level: LogLevel) {
    super(service, { json: true, logLevels: ORDER.slice(0, ORDER.indexOf(level) + 1), redact: REDACTED_KEYS });
  }

  protected override getJsonLogObject(
    message: unknown,
    options: Parameters<ConsoleLogger['getJsonLogObject']>[1],
  ): ReturnType<ConsoleLogger['getJsonLogObject']> {
    const record = super.getJsonLogObject(message, options);
    return { ...record, service: this.service, time: new Date(record.timestamp).toISOString() };
  }
}

export function jsonLogger(config: Pick<ServiceConfig, 'service' | 'logLevel'>): JsonLogger {
  return new JsonLogger(config.service, config.logLevel);
}
