import type { Channel } from './channel.js';
import type { TrustContacts } from './templates.js';

/** A reply an officer starts from. {placeholders} the trust settings don't fill are left for the officer. */
export interface DeskTemplate {
  key: string;
  title: string;
  body: string;
  /** Only offered on these channels; all when absent. */
  channels?: Channel[];
}

/** Starting set; a trust replaces it with the `desk.templates` setting. */
export const DEFAULT_DESK_TEMPLATES: DeskTemplate[] = [
  {
    key: 'thanks',
    title: 'Thank you for your kind words',
    body: 'Thank you so much for taking the time to share this, {name}. We will make sure {staff} and the team on {ward} hear it.',
  },
  {
    key: 'pals',
    title: 'Complaint: signpost to PALS',
    body: "We're sorry to hear about your experience, {name}. Please contact {pals_contact} so they can look into this for you properly.",
  },
  {
    key: 'move-to-dm',
    title: 'Ask them to message us privately',
    body: "Thanks {name}. So we can look into this without sharing personal details publicly, please send us a direct message.",
    channels: ['x', 'facebook', 'instagram'],
  },
  {
    key: 'visiting',
    title: 'Visiting times',
    body: 'Hi {name}, visiting on {ward} is {visiting_hours}. Please check with the ward before you travel in case anything has changed.',
  },
  {
    key: 'parking',
    title: 'Parking',
    body: 'Hi {name}, thanks for raising this. Information about parking, charges and concessions is on our website; our car parks team can help with anything else.',
  },
  {
    key: 'looking-into-it',
    title: "We're looking into it",
    body: "Thanks for letting us know, {name}. We're looking into this and will come back to you.",
  },
];

/** The {placeholders} in a text, in order, once each. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]!))];
}

/** Fills the placeholders the trust settings know and leaves the rest for the officer. */
export function fillKnownPlaceholders(text: string, values: TrustContacts): string {
  return text.replace(/\{([a-z_]+)\}/g, (whole, name: string) => (values[name] ? values[name] : whole));
}

/**
 * What a social reply says once signed: the officer's initials on a line of their own, as
 * comms teams sign on X and Facebook. Email is signed by the mail composer, with name and team.
 */
export function signedReplyText(text: string, initials: string, channel: Channel): string {
  if (channel === 'email') return text.trim();
  return `${text.trim()}\n– ${initials}`;
}
