// The demo feed `npm start` runs with the fake drivers: a realistic mix of messages (demo-content.mjs)
// sent through ingest's real paths, exactly as the providers send them: X Account Activity webhooks
// and Meta Page/Instagram comment webhooks, signed with the secrets ingest checks, and emails into
// the mailbox ingest reads (the private Dovecot from demo-mailbox.mjs over IMAP, or else the fake
// driver's spool folder). About 40 items arrive at once, dated over the last day, then one every
// 20-40 s until close().
//
// Every id is made from this run's start time (X snowflakes from the message's time, Meta ids and
// Message-IDs from the run's start), so each `npm start` adds new items instead of repeating the
// last run's. A send that fails is reported with its reason through `say`, never thrown.
import { mkdir, rename, utimes, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { ROOT } from './env.mjs';
import { INITIAL, PEOPLE, POSTS, TRICKLE } from './demo-content.mjs';

const load = (path) => import(pathToFileURL(join(ROOT, 'dist', path)).href);

const TRICKLE_MIN_MS = 20_000;
const TRICKLE_MAX_MS = 40_000;
/** How long close() waits for a send in flight. */
const CLOSE_WAIT_MS = 5_000;
/** X's epoch for snowflake ids. */
const X_EPOCH = 1288834974657n;

const OFF = new Set(['off', 'false', '0', 'no']);

/**
 * Whether `npm start` runs the demo feed, and how its email arrives. Only with the fake drivers
 * for X, Meta and mail: a live driver means a real account, which must never get made-up items.
 */
export function demoFeedPlan(env) {
  const setting = String(env.DEMO_FEED ?? '').trim().toLowerCase();
  if (OFF.has(setting)) return { on: false, reason: `DEMO_FEED=${env.DEMO_FEED}` };
  const live = ['X_DRIVER', 'META_DRIVER', 'MAIL_DRIVER'].filter((name) => String(env[name] ?? '').trim() === 'live');
  if (live.length) return { on: false, reason: `${live.map((n) => `${n}=live`).join(', ')}; the demo feed runs only with the fake drivers` };
  return { on: true, mail: setting === 'spool' ? 'spool' : 'imap' };
}

function clock(date = new Date()) {
  return date.toISOString().slice(11, 19);
}

/**
 * Starts sending. `options.mailbox` is the demo mailbox (demo-mailbox.mjs) when ingest reads it
 * over IMAP; without it, email goes into the fake driver's spool folder. Resolves once ready to
 * send (the first items follow in the background) with `{ close() }`; never rejects.
 */
export async function startDemoFeed(env, say, options = {}) {
  const log = (message) => say(`${clock()} ${'demo'.padEnd(9)} ${'log'.padEnd(5)} ${message}`);
  const warn = (message) => say(`${clock()} ${'demo'.padEnd(9)} ${'warn'.padEnd(5)} ${message}`);
  let feed;
  try {
    feed = await prepareDemoSender(env, options.mailbox);
  } catch (error) {
    warn(`demo feed not started: ${error.message}`);
    return { close: async () => {} };
  }

  let stopped = false;
  let timer;
  let inFlight = Promise.resolve();
  const track = (promise) => {
    inFlight = promise.catch(() => undefined);
    return inFlight;
  };

  /** Sends one item; reports a failure with its reason and resolves false (never throws). */
  const send = async (item, at) => {
    try {
      await feed.send(item, at);
      return true;
    } catch (error) {
      const cause = error.cause?.code ?? error.cause?.message;
      warn(`demo feed: ${item.channel} item ${item.key} not delivered: ${error.message}${cause ? ` (${cause})` : ''}`);
      return false;
    }
  };

  const burst = async () => {
    const ordered = [...INITIAL].sort((a, b) => b.ago - a.ago);
    const sent = {};
    let failed = 0;
    for (const item of ordered) {
      if (stopped) return;
      // Within the minute after `ago`, never later than now.
      const at = new Date(Math.min(Date.now(), feed.runStart - item.ago * 60_000 + Math.floor(Math.random() * 50_000)));
      if (await track(send(item, at))) sent[item.channel] = (sent[item.channel] ?? 0) + 1;
      else failed += 1;
    }
    const total = Object.values(sent).reduce((a, b) => a + b, 0);
    const parts = Object.entries(sent).map(([channel, n]) => `${channel} ${n}`).join(', ');
    log(
      `demo feed: sent ${total} items (${parts}) through the signed X and Meta webhooks and ${feed.mailPath}` +
        `${failed ? `; ${failed} could not be sent (see above)` : ''}. One more every ${TRICKLE_MIN_MS / 1000}-${TRICKLE_MAX_MS / 1000} s; DEMO_FEED=off turns it off.`,
    );
  };

  let next = 0;
  const order = shuffled(TRICKLE);
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      const item = { ...order[next % order.length], key: `trickle-${next + 1}` };
      next += 1;
      void track(
        send(item, new Date()).then((ok) => {
          if (ok) log(`demo feed: new ${item.channel} item from ${feed.who(item)}`);
        }),
      ).then(schedule);
    }, TRICKLE_MIN_MS + Math.floor(Math.random() * (TRICKLE_MAX_MS - TRICKLE_MIN_MS)));
    timer.unref?.();
  };

  const started = burst()
    .catch((error) => warn(`demo feed stopped: ${error.message}`))
    .then(schedule);

  return {
    async close() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      let wait;
      await Promise.race([Promise.all([started, inFlight]), new Promise((r) => (wait = setTimeout(r, CLOSE_WAIT_MS)))]);
      clearTimeout(wait);
    },
  };
}

function shuffled(list) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * What sends one item as its provider would: the settings ingest runs with (from the same
 * environment), the providers' signers, this run's ids. `send(item, at)` resolves with the item's
 * channel and external id once ingest has stored it (email: once it is in the mailbox), and
 * rejects with the reason otherwise. Used by the feed and by demo-feed.check.mjs.
 */
export async function prepareDemoSender(env, mailbox) {
  let config;
  let responder;
  try {
    const { loadServiceConfig } = await load('libs/config/src/index.js');
    config = loadServiceConfig('ingest', env);
    responder = loadServiceConfig('responder', env).responder;
  } catch (error) {
    throw new Error(`the build or the configuration is not usable (${error.message})`, { cause: error });
  }
  const ingest = config.ingest;
  // The signers the e2e suites use: they build X's and Meta's payloads and sign them as the providers do.
  const xw = await load('test/fakes/x-webhook.js');
  const mw = await load('test/fakes/meta-webhook.js');

  const host = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host;
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
  const runStart = Date.now();
  const runSeconds = Math.floor(runStart / 1000);
  const ours = ingest.x.userId;
  const pageId = ingest.meta.pageIds[0];
  if (!pageId) throw new Error('no Facebook Page id is configured (META_PAGE_IDS)');
  // The Instagram account is the one the responder holds a token for besides the Page, or the Page's.
  const igAccount = Object.keys(responder.meta.pageTokens).find((id) => id !== pageId) ?? pageId;
  const meta = new mw.MetaWebhookSender(baseUrl, ingest.meta.appSecret);
  const spoolDir = isAbsolute(ingest.mail.spoolDir) ? ingest.mail.spoolDir : join(ROOT, ingest.mail.spoolDir);
  const commsAddress = responder.mail.from;

  // Ids from this run: X ids are snowflakes of the message's own time (X's are), with this run in
  // the worker bits; the rest carry the run's start time.
  const worker = BigInt(runSeconds % 1024);
  let sequence = 0n;
  const snowflake = (at) => {
    sequence = (sequence + 1n) % 4096n;
    return (((BigInt(at.getTime()) - X_EPOCH) << 22n) | (worker << 12n) | sequence).toString();
  };
  let counter = 0;
  const serial = () => `${runStart}${String(++counter).padStart(4, '0')}`;
  const postIds = Object.fromEntries(Object.keys(POSTS).map((key, i) => [key, `${runSeconds}${String(i + 1).padStart(3, '0')}`]));
  /** key → what a reply needs of the item it answers. */
  const sent = new Map();

  const accept = async (what, response) => {
    const status = response.status;
    const body = typeof response.json === 'function' ? await response.json().catch(() => undefined) : response.body;
    if (status !== 200) throw new Error(`ingest answered ${status} to the ${what} webhook${body ? `: ${JSON.stringify(body)}` : ''}`);
    if (body && body.stored === 0) throw new Error(`ingest accepted the ${what} webhook but stored nothing (${JSON.stringify(body)})`);
  };

  const parentOf = (item) => {
    if (!item.replyTo) return undefined;
    const parent = sent.get(item.replyTo);
    if (!parent) throw new Error(`it answers ${item.replyTo}, which was not sent`);
    return parent;
  };

  const senders = {
    async x(item, at) {
      const user = PEOPLE[item.user];
      const parent = parentOf(item);
      const id = snowflake(at);
      const tweet = xw.v1Tweet({ id, text: item.text, user, createdAt: at, ...(parent ? { inReplyTo: { id: parent.id, user: parent.user } } : {}) });
      await accept('X', await xw.deliverToXWebhook(baseUrl, xw.tweetCreateDelivery(ours, [tweet]), { consumerSecret: ingest.x.consumerSecret }));
      return { id, user };
    },
    async x_dm(item, at) {
      const user = PEOPLE[item.user];
      const id = snowflake(at);
      const payload = xw.dmDelivery(ours, [{ id, senderId: user.id, recipientId: ours, text: item.text, createdAt: at }], [user]);
      await accept('X', await xw.deliverToXWebhook(baseUrl, payload, { consumerSecret: ingest.x.consumerSecret }));
      return { id };
    },
    async facebook(item, at) {
      const parent = parentOf(item);
      const post = postIds[item.post];
      const postId = `${pageId}_${post}`;
      const commentId = `${post}_${serial()}`;
      const payload = mw.feedCommentPayload({ commentId, postId, parentId: parent?.id, text: item.text, from: PEOPLE[item.from], createdTime: Math.floor(at.getTime() / 1000), pageId });
      await accept('Meta', await meta.send(payload));
      return { id: commentId };
    },
    async instagram(item, at) {
      const parent = parentOf(item);
      const id = `18${serial()}`;
      const payload = mw.instagramCommentPayload({
        id,
        mediaId: `17${postIds[item.post]}`,
        parentId: parent?.id,
        text: item.text,
        from: PEOPLE[item.from],
        accountId: igAccount,
        time: Math.floor(at.getTime() / 1000),
      });
      await accept('Instagram', await meta.send(payload));
      return { id };
    },
    async email(item, at) {
      const parent = parentOf(item);
      const domain = /@([^>\s]+)/.exec(item.from)?.[1] ?? 'example.net';
      const name = `demo-${serial()}`;
      const messageId = `<${name}@${domain}>`;
      const raw = await new MailComposer({
        from: item.from,
        to: commsAddress,
        subject: item.subject,
        text: item.text,
        ...(item.html ? { html: item.html } : {}),
        date: at,
        messageId,
        ...(parent ? { inReplyTo: parent.messageId, references: [...parent.references, parent.messageId] } : {}),
      })
        .compile()
        .build();
      if (mailbox) {
        await mailbox.append(raw, at);
      } else {
        // Written into the spool under a name it does not read (not .eml), dated, then renamed whole.
        await mkdir(spoolDir, { recursive: true });
        const partial = join(spoolDir, `.${name}.part`);
        await writeFile(partial, raw);
        await utimes(partial, at, at);
        await rename(partial, join(spoolDir, `${name}.eml`));
      }
      return { messageId, references: parent ? [...parent.references, parent.messageId] : [] };
    },
  };

  return {
    runStart,
    mailPath: mailbox ? 'IMAP (APPEND to the demo mailbox)' : `the mail spool folder (${ingest.mail.spoolDir})`,
    async send(item, at) {
      const sender = senders[item.channel];
      if (!sender) throw new Error(`unknown channel ${item.channel}`);
      const record = await sender(item, at);
      if (item.key) sent.set(item.key, record);
      return { channel: item.channel, externalId: record.id ?? record.messageId };
    },
    baseUrl,
    signers: { x: xw, meta: mw },
    who(item) {
      if (item.channel === 'email') return item.from.replace(/^.*<|>$/g, '');
      const person = PEOPLE[item.user ?? item.from];
      return person.screen_name ? `@${person.screen_name}` : (person.username ? `@${person.username}` : person.name);
    },
  };
}
