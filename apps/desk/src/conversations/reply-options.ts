import { X_MAX_CHARACTERS, type Channel, type ReplyOptions } from '@desk/domain';

/** X allows this many characters in a direct message. */
export const X_DM_MAX_CHARACTERS = 10_000;

/**
 * How an officer can answer on a channel: X has both a public reply and a DM to the author;
 * Facebook and Instagram comments get public replies (private replies aren't supported yet);
 * DMs and email are private.
 */
export function replyOptions(channel: Channel, itemId: string | null): ReplyOptions {
  switch (channel) {
    case 'x':
      return { itemId, public: true, private: true, maxLength: X_MAX_CHARACTERS };
    case 'x_dm':
      return { itemId, public: false, private: true, maxLength: X_DM_MAX_CHARACTERS };
    case 'facebook':
    case 'instagram':
      return { itemId, public: true, private: false, maxLength: null };
    case 'email':
      return { itemId, public: false, private: true, maxLength: null };
  }
}

/** The outbound row a reply becomes: its kind and the channel it goes out on. */
export function replyRoute(channel: Channel, visibility: 'public' | 'private'): { kind: 'reply' | 'direct_message' | 'email'; channel: Channel } | undefined {
  const options = replyOptions(channel, null);
  if (visibility === 'public' && !options.public) return undefined;
  if (visibility === 'private' && !options.private) return undefined;
  if (channel === 'email') return { kind: 'email', channel };
  if (channel === 'x_dm' || (channel === 'x' && visibility === 'private')) return { kind: 'direct_message', channel: 'x_dm' };
  return { kind: 'reply', channel };
}
