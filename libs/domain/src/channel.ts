/** Where a message came from. `x_dm` is kept apart from `x` because a DM is private and answered privately. */
export const CHANNELS = ['x', 'x_dm', 'facebook', 'instagram', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

/** The platform behind a channel: a person who tweets and DMs us is one X identity. */
export const PLATFORMS = ['x', 'facebook', 'instagram', 'email'] as const;
export type Platform = (typeof PLATFORMS)[number];

export function platformOf(channel: Channel): Platform {
  return channel === 'x_dm' ? 'x' : channel;
}
