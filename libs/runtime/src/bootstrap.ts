import 'reflect-metadata';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadServiceConfig, type ServiceConfig, type ServiceName } from '@desk/config';
import { CalendarConfigError, calendarSettingsFromEnv } from '@desk/sla';
import { jsonLogger } from './logger.js';

/** Exit status for a configuration error (sysexits EX_CONFIG), so scripts can tell it apart. */
export const EXIT_CONFIG = 78;

/**
 * Starts one service: validates its environment, builds its module, serves HTTP (the API, or just
 * /health for a worker) and shuts down cleanly on SIGTERM, letting workers finish the job in hand.
 */
export interface RunOptions {
  /** False where the service reads request bodies itself (ingest: signatures are over raw bytes). */
  bodyParser?: boolean;
  /** Express-level set-up before listening (the desk's headers and web app). */
  configure?: (app: INestApplication, config: ServiceConfig) => void;
}

export async function runService(
  name: ServiceName,
  rootModule: (config: ServiceConfig) => DynamicModule,
  options: RunOptions = {},
): Promise<void> {
  let config: ServiceConfig;
  try {
    config = loadServiceConfig(name);
    // The calendar variables are checked by the sla library, here, so they fail like any other.
    calendarSettingsFromEnv(config.sla.calendarEnv);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof CalendarConfigError) {
      const problems = error instanceof ConfigError ? error.problems.join('; ') : error.message;
      process.stderr.write(`${name}: cannot start: ${problems}. See .env.example.\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }

  const logger = jsonLogger(config);
  try {
    const app = await NestFactory.create(rootModule(config), { logger, abortOnError: false, bodyParser: options.bodyParser ?? true });
    app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
    options.configure?.(app, config);
    const exitIfStuck = (signal: NodeJS.Signals) => {
      logger.log(`${signal} received: finishing work in hand, then exiting`);
      // Once a signal arrives, give in-flight work the grace period, then leave regardless.
      setTimeout(() => {
        logger.error(`shutdown took longer than ${config.shutdownGraceMs} ms; exiting`);
        process.exit(1);
      }, config.shutdownGraceMs).unref();
    };
    process.once('SIGTERM', exitIfStuck);
    process.once('SIGINT', exitIfStuck);
    await app.listen(config.port, config.host);
    logger.log(`${name} ready on http://${config.host}:${config.port} (health at /health)`);
  } catch (error) {
    logger.fatal(`${name} failed to start: ${(error as Error).message}`);
    process.exit(1);
  }
}
