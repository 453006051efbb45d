import { Module } from '@nestjs/common';
import { MetaWebhookController } from './meta-webhook.controller.js';

/** Meta ingest: Facebook Page and Instagram comment webhooks (InboundService comes from the ingest core). */
@Module({ controllers: [MetaWebhookController] })
export class MetaIngestModule {}
