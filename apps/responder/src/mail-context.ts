import { Inject, Injectable } from '@nestjs/common';
import { email, OutboundFailure, type OutgoingMail } from '@desk/channels';
import type { ServiceConfig } from '@desk/config';
import { OutboundRepository, SettingsRepository, type OutboundWork } from '@desk/persistence';
import { SERVICE_CONFIG } from '@desk/runtime';

const TRUST_CACHE_MS = 30_000;

/** Builds the email for a row: a threaded reply, a press-office forward or an on-duty alert. */
@Injectable()
export class MailContext {
  private trust?: { name: string; until: number };
  private readonly from: string;
  private readonly domain: string;

  constructor(
    private readonly settings: SettingsRepository,
    private readonly outbound: OutboundRepository,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.from = config.responder!.mail.from;
    this.domain = /@([^>\s]+)>?\s*$/.exec(this.from)?.[1] ?? 'desk.invalid';
  }

  async compose(work: OutboundWork): Promise<OutgoingMail> {
    const item = work.item;
    if (!item) throw refuse(`a ${work.kind} needs the message it is about, and this one has none`);
    const common = { from: this.from, messageId: email.outboundMessageId(work.id, this.domain), trustName: await this.trustName() };
    const publicItem: email.PublicItem = {
      channel: item.channel,
      author: {
        name: item.contact?.displayName ?? undefined,
        handle: item.contact?.handle ?? undefined,
        email: item.channel === 'email' ? item.contact?.externalId : undefined,
      },
      text: item.body,
      subject: item.subject ?? undefined,
      url: item.url ?? undefined,
      receivedAt: item.receivedAt,
    };

    if (work.kind === 'press_forward') {
      if (!work.reference) throw refuse('the press forward has no reference');
      const reply = await this.replyBeside(work);
      return email.composePressForward({
        ...common,
        to: [work.recipient!],
        reference: work.reference,
        item: publicItem,
        dueAt: item.dueAt ?? item.receivedAt,
        acknowledgement: reply?.body ?? undefined,
      });
    }
    if (work.kind === 'alert') {
      const reply = await this.replyBeside(work);
      return email.composeAlert({
        ...common,
        to: [work.recipient!],
        item: publicItem,
        dueAt: item.dueAt ?? undefined,
        reasons: reasonLines(item.reasons),
        autoReply: reply?.body
          ? { text: reply.body, status: reply.status === 'sent' ? 'sent' : reply.status === 'failed' ? 'failed' : 'queued', at: reply.sentAt ?? undefined }
          : undefined,
      });
    }

    const body = work.body ?? '';
    if (!body.trim()) throw refuse('the email has no text');
    const headers = emailHeaders(item.raw);
    const to = replyAddress(headers['reply-to']) ?? (item.contact ? { address: item.contact.externalId, name: item.contact.displayName ?? undefined } : undefined);
    if (!to) throw refuse('the email has no address to reply to');
    return email.composeReply({
      ...common,
      original: {
        messageId: item.externalId,
        references: email.messageIds(headers.references),
        subject: item.subject ?? undefined,
        text: item.body,
        receivedAt: item.receivedAt,
      },
      to,
      body,
      signer: work.author ?? undefined,
    });
  }

  /** The answer to the sender queued beside a forward or alert, which the email quotes. */
  private async replyBeside(work: OutboundWork) {
    const siblings = await this.outbound.siblings(work.id);
    return siblings.find((s) => s.kind === 'reply' || s.kind === 'direct_message' || s.kind === 'email');
  }

  private async trustName(): Promise<string> {
    if (this.trust && this.trust.until > Date.now()) return this.trust.name;
    const trust = (await this.settings.get('trust')) as { trust_name?: unknown } | undefined;
    const name = typeof trust?.trust_name === 'string' && trust.trust_name.trim() ? trust.trust_name : 'the trust';
    this.trust = { name, until: Date.now() + TRUST_CACHE_MS };
    return name;
  }
}

function refuse(message: string): OutboundFailure {
  return new OutboundFailure('permanent', { provider: 'local', message });
}

/** The headers ingest kept (raw.headers), first value of each. */
function emailHeaders(raw: unknown): Record<string, string | undefined> {
  const headers = (raw as { headers?: Record<string, unknown> } | null)?.headers ?? {};
  const first = (v: unknown) => (Array.isArray(v) ? (typeof v[0] === 'string' ? v[0] : undefined) : typeof v === 'string' ? v : undefined);
  return { references: first(headers.references), 'reply-to': first(headers['reply-to']) };
}

/** A Reply-To's first plain address; anything odd falls back to the sender. */
function replyAddress(value: string | undefined): { address: string } | undefined {
  const address = value && /<?([^<>\s,;]+@[^<>\s,;]+)>?/.exec(value)?.[1];
  return address && email.isEmailAddress(address) ? { address: address.toLowerCase() } : undefined;
}

/** Triage's reasons as short lines ("signal: evidence"). */
function reasonLines(reasons: unknown): string[] {
  if (!Array.isArray(reasons)) return [];
  return reasons.slice(0, 6).flatMap((r: { signal?: unknown; evidence?: unknown }) =>
    typeof r?.signal === 'string' ? [Array.isArray(r.evidence) && r.evidence.length ? `${r.signal}: ${String(r.evidence[0]).slice(0, 120)}` : r.signal] : [],
  );
}
