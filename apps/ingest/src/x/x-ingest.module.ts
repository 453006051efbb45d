import { Module } from '@nestjs/common';
import { x } from '@desk/channels';
import type { IngestSettings } from '@desk/config';
import { INGEST_SETTINGS } from '../tokens.js';
import { X_API } from './x-api.token.js';
import { XPoller } from './x-poller.service.js';
import { XWebhookController } from './x-webhook.controller.js';

/** X: the Account Activity webhook, and polling of mentions and DMs (fake or live, by X_DRIVER). */
@Module({
  controllers: [XWebhookController],
  providers: [
    {
      provide: X_API,
      useFactory: (settings: IngestSettings) =>
        new x.XApiClient({
          baseUrl: settings.x.baseUrl,
          consumerKey: settings.x.consumerKey,
          consumerSecret: settings.x.consumerSecret,
          accessToken: settings.x.accessToken,
          accessSecret: settings.x.accessSecret,
        }),
      inject: [INGEST_SETTINGS],
    },
    XPoller,
  ],
})
export class XIngestModule {}
