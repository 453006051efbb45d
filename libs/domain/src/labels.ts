import type { Channel } from './channel.js';
import type { Route } from './route.js';

/* Words for channels and routes, shared by the web desk and the server's reports and CSV files. */

export const CHANNEL_LABELS: Record<Channel, string> = {
  x: 'X',
  x_dm: 'X DM',
  facebook: 'Facebook',
  instagram: 'Instagram',
  email: 'Email',
};

export const ROUTE_LABELS: Record<Route, string> = {
  urgent_safety: 'Urgent safety',
  abuse: 'Abuse',
  media: 'Media',
  complaint: 'Complaint',
  clinical: 'Clinical',
  appointment: 'Appointment',
  spam: 'Spam',
  story: 'Story',
  praise: 'Praise',
  general: 'General',
};
