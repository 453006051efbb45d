import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE_CREDENTIALS } from '@desk/config';

/**
 * Stands in for Meta's webhook sender: signs bodies the way Meta does (its own HMAC here, not the
 * code under test), replays the published fixtures byte for byte, and builds Page feed-comment and
 * Instagram comment deliveries with the ids, text and verb a test needs.
 */

export const META_FIXTURES = join(process.env.SHARED_DIR ?? join(process.cwd(), '..', 'shared'), 'fixtures', 'meta');

/** The fixture's exact bytes, so a replay is signed over what Meta's samples really are. */
export function metaFixture(name: string): Buffer {
  return readFileSync(join(META_FIXTURES, name));
}

export function metaFixtureNames(pattern: RegExp): string[] {
  return readdirSync(META_FIXTURES).filter((name) => pattern.test(name)).sort();
}

export function metaSignature(body: Buffer | string, appSecret: string = FAKE_CREDENTIALS.meta.appSecret): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

export type FeedVerb = 'add' | 'edited' | 'remove' | 'hide' | 'unhide';

export interface FeedCommentSpec {
  /** "<post>_<comment>", as Meta forms comment ids. */
  commentId: string;
  /** "<page>_<post>". */
  postId: string;
  /** Defaults to the post (a top-level comment); a comment id makes it a reply. */
  parentId?: string;
  verb?: FeedVerb;
  text?: string;
  from?: { id: string; name?: string };
  /** Epoch seconds; defaults to now. */
  createdTime?: number;
  /** Epoch seconds of the change (entry.time); defaults to createdTime. */
  entryTime?: number;
  pageId?: string;
}

export function feedCommentPayload(spec: FeedCommentSpec) {
  const createdTime = spec.createdTime ?? Math.floor(Date.now() / 1000);
  const pageId = spec.pageId ?? spec.postId.split('_')[0]!;
  const value: Record<string, unknown> = {
    item: 'comment',
    verb: spec.verb ?? 'add',
    comment_id: spec.commentId,
    post_id: spec.postId,
    parent_id: spec.parentId ?? spec.postId,
    from: spec.from ?? { id: '100000000000001', name: 'A Member Of The Public' },
    created_time: createdTime,
  };
  if (spec.text !== undefined) value.message = spec.text;
  return { object: 'page', entry: [{ id: pageId, time: spec.entryTime ?? createdTime, changes: [{ field: 'feed', value }] }] };
}

export interface InstagramCommentSpec {
  id: string;
  mediaId: string;
  parentId?: string;
  text: string;
  from?: { id: string; username?: string };
  /** Our Instagram account id (entry.id). */
  accountId?: string;
  /** Epoch seconds; defaults to now. */
  time?: number;
}

export function instagramCommentPayload(spec: InstagramCommentSpec) {
  const value: Record<string, unknown> = {
    from: spec.from ?? { id: '178414000000001', username: 'a.member.of.the.public' },
    media: { id: spec.mediaId, media_product_type: 'FEED' },
    id: spec.id,
    text: spec.text,
  };
  if (spec.parentId) value.parent_id = spec.parentId;
  return { object: 'instagram', entry: [{ id: spec.accountId ?? '0', time: spec.time ?? Math.floor(Date.now() / 1000), changes: [{ field: 'comments', value }] }] };
}

export interface SendOptions {
  /** A signature to send instead of the right one; null sends none. */
  signature?: string | null;
  /** Sign with this secret instead of the fake driver's. */
  appSecret?: string;
}

export class MetaWebhookSender {
  constructor(
    private readonly baseUrl: string,
    private readonly appSecret: string = FAKE_CREDENTIALS.meta.appSecret,
  ) {}

  /** POSTs a payload (an object is serialised; bytes and strings are sent as they are). */
  async send(payload: unknown, options: SendOptions = {}): Promise<Response> {
    const body = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'facebookexternalua' };
    const signature = options.signature === undefined ? metaSignature(body, options.appSecret ?? this.appSecret) : options.signature;
    if (signature !== null) headers['x-hub-signature-256'] = signature;
    return fetch(`${this.baseUrl}/webhooks/meta`, { method: 'POST', headers, body });
  }

  replay(fixtureName: string, options: SendOptions = {}): Promise<Response> {
    return this.send(metaFixture(fixtureName), options);
  }

  /** The subscription handshake Meta performs when a callback URL is saved. */
  verify(verifyToken: string, challenge: string, mode = 'subscribe'): Promise<Response> {
    const query = new URLSearchParams({ 'hub.mode': mode, 'hub.verify_token': verifyToken, 'hub.challenge': challenge });
    return fetch(`${this.baseUrl}/webhooks/meta?${query}`);
  }
}
