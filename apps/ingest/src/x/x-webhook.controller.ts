import { Controller, Get, HttpCode, HttpStatus, Inject, Logger, Post, Query, Req } from '@nestjs/common';
import { x } from '@desk/channels';
import type { IngestSettings } from '@desk/config';
import { InboundService } from '../inbound.service.js';
import { INGEST_SETTINGS } from '../tokens.js';
import type { RawBodyRequest } from '../webhooks/raw-body.middleware.js';
import { badSignature, malformed, parseJson, storeOr503 } from '../webhooks/webhook-errors.js';
import { reasons, summarise, type DeliveryAnswer } from '../webhooks/delivery-answer.js';

/**
 * The Account Activity webhook. X proves itself by signing the body with our consumer secret, so
 * the signature is checked before anything is parsed; X gets its 200 only after the commit, and
 * otherwise delivers again, which the store turns into nothing.
 */
@Controller('webhooks/x')
export class XWebhookController {
  private readonly logger = new Logger('XWebhook');

  constructor(
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
    private readonly inbound: InboundService,
  ) {}

  /** The challenge-response check X makes on registration and then about hourly. */
  @Get()
  crc(@Query('crc_token') token: unknown): { response_token: string } {
    const answer = x.answerCrc(token, this.settings.x.consumerSecret);
    if (!answer.ok) throw malformed(answer.reason);
    return answer.response;
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  async receive(@Req() req: RawBodyRequest): Promise<DeliveryAnswer> {
    const body = req.rawBody ?? Buffer.alloc(0);
    const check = x.checkSignature(body, req.headers[x.SIGNATURE_HEADER], this.settings.x.consumerSecret);
    if (!check.ok) throw badSignature(this.logger, 'X', req.ip ?? req.socket.remoteAddress, check.reason);

    const parsed = x.parseAccountActivity(parseJson(body), { userId: this.settings.x.userId, now: new Date() });
    if (!parsed.ok) throw malformed(parsed.reason);
    const outcomes = await storeOr503(this.logger, 'X', () => this.inbound.apply(parsed.events));
    const answer = summarise(outcomes);
    this.logger.log(`X delivery: ${answer.received} event(s), ${answer.stored} new, ${answer.ignored} ignored${reasons(outcomes)}`);
    return answer;
  }
}


