import { Controller, Get, HttpCode, HttpStatus, Inject, Logger, Post, Query, Req } from '@nestjs/common';
import { x } from '@desk/channels';
import type { IngestSettings } from '@desk/config';
import { InboundService, type ApplyOutcome } from '../inbound.service.js';
import { INGEST_SETTINGS } from '../tokens.js';
import type { RawBodyRequest } from '../webhooks/raw-body.middleware.js';
import { badSignature, malformed, parseJson, storeOr503 } from '../webhooks/webhook-errors.js';

export interface XDeliveryAnswer {
  received: number;
  stored: number;
  ignored: number;
}

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
  async receive(@Req() req: RawBodyRequest): Promise<XDeliveryAnswer> {
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

function summarise(outcomes: ApplyOutcome[]): XDeliveryAnswer {
  return {
    received: outcomes.length,
    stored: outcomes.filter((o) => o.created).length,
    ignored: outcomes.filter((o) => o.event === 'ignored').length,
  };
}

/** Ignore reasons quote payload values only through a short, sanitised label, so they are safe to log. */
function reasons(outcomes: ApplyOutcome[]): string {
  const distinct = [...new Set(outcomes.flatMap((o) => (o.reason ? [o.reason] : [])))].slice(0, 5);
  return distinct.length ? ` (${distinct.join('; ')})` : '';
}
