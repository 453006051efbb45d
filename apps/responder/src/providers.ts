import { Inject, Injectable, Logger, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { email, meta, x, type GraphOutbound, type Mailer, type XOutbound } from '@desk/channels';
import { redisConnectionOptions, type ResponderSettings, type ServiceConfig } from '@desk/config';
import { logErrorsOf } from '@desk/queues';
import { Redis } from 'ioredis';
import { Pacing } from './pacing.js';
import { GRAPH_OUTBOUND, MAILER, X_OUTBOUND } from './tokens.js';

/** The three provider adapters, by driver: a fake driver points at local fakes or, for mail, a folder. */
export function providerAdapters(settings: ResponderSettings): Provider[] {
  return [
    { provide: X_OUTBOUND, useFactory: (): XOutbound => new x.XOutboundClient(settings.x) },
    {
      provide: GRAPH_OUTBOUND,
      useFactory: (): GraphOutbound =>
        new meta.GraphOutboundClient({ baseUrl: settings.meta.graphUrl, pageTokens: settings.meta.pageTokens, appSecret: settings.meta.appSecret }),
    },
    { provide: MAILER, useFactory: (): Mailer => mailer(settings.mail) },
    AdapterShutdown,
  ];
}

function mailer(mail: ResponderSettings['mail']): Mailer {
  if (mail.driver === 'fake') return new email.OutboxMailer(mail.outboxDir);
  return new email.SmtpMailer({ ...mail.smtp, sentMailbox: mail.sent });
}

/** Pacing keeps its own Redis connection: a few small commands per send. */
export function pacingProvider(config: ServiceConfig): Provider {
  return {
    provide: Pacing,
    useFactory: () => {
      const redis = new Redis({ ...redisConnectionOptions(config.redisUrl), maxRetriesPerRequest: 2 });
      const logger = new Logger('Pacing');
      logErrorsOf(redis, 'redis (pacing)', (line) => logger.warn(line));
      return new Pacing(redis, config.queuePrefix);
    },
  };
}

/** Closes the adapters' connections when the service stops. */
@Injectable()
class AdapterShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(X_OUTBOUND) private readonly x: XOutbound,
    @Inject(GRAPH_OUTBOUND) private readonly graph: GraphOutbound,
    @Inject(MAILER) private readonly mailer: Mailer,
    private readonly pacing: Pacing,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.pacing.close();
    this.x.close();
    this.graph.close();
    await this.mailer.close();
  }
}
