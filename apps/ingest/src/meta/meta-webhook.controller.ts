import { Controller, Get, HttpCode, HttpStatus, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { meta } from '@desk/channels';
import type { IngestSettings } from '@desk/config';
import { InboundService } from '../inbound.service.js';
import { INGEST_SETTINGS } from '../tokens.js';
import type { RawBodyRequest } from '../webhooks/raw-body.middleware.js';
import { badSignature, malformed, parseJson, storeOr503, WebhookRejected } from '../webhooks/webhook-errors.js';
import { reasons, summarise, type DeliveryAnswer } from '../webhooks/delivery-answer.js';

/**
 * Facebook Page and Instagram webhooks. The body is trusted only once its signature matches, so
 * it is checked before anything is parsed; Meta gets its 200 only after the events are committed.
 */
@Controller('webhooks/meta')
export class MetaWebhookController {
  private readonly logger = new Logger('MetaWebhook');

  constructor(
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
    private readonly inbound: InboundService,
  ) {}

  @Get()
  verify(@Req() req: RawBodyRequest, @Res({ passthrough: true }) res: Response): string {
    const answer = meta.answerVerification(req.query as Record<string, unknown>, this.settings.meta.verifyToken);
    if (!answer.ok) {
      this.logger.warn(`meta subscription check refused from ${req.ip ?? 'unknown address'}: ${answer.reason}`);
      throw new WebhookRejected(HttpStatus.FORBIDDEN, 'forbidden', 'verification refused');
    }
    // Echoed back as plain text that no browser may sniff into HTML.
    res.type('text/plain').setHeader('X-Content-Type-Options', 'nosniff');
    return answer.challenge;
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  async receive(@Req() req: RawBodyRequest): Promise<DeliveryAnswer> {
    const body = req.rawBody ?? Buffer.alloc(0);
    const check = meta.checkSignature(body, req.headers[meta.SIGNATURE_HEADER], this.settings.meta.appSecret);
    if (!check.ok) throw badSignature(this.logger, 'meta', req.ip, check.reason);

    const parsed = meta.parseWebhook(parseJson(body), { pageIds: this.settings.meta.pageIds, now: new Date() });
    if (!parsed.ok) throw malformed(parsed.reason);
    const outcomes = await storeOr503(this.logger, 'meta', () => this.inbound.apply(parsed.events));
    const answer = summarise(outcomes);
    this.logger.log(`meta delivery: ${answer.received} events, ${answer.stored} new, ${answer.ignored} ignored${reasons(outcomes)}`);
    return answer;
  }
}


