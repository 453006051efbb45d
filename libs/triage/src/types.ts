import type { Channel, Flag, Route } from '@desk/domain';

export interface TriageInput {
  channel: Channel;
  author: string;
  subject?: string;
  text: string;
  /** Earlier items of the same conversation, oldest first. */
  history?: readonly string[];
}

export interface TriageReason {
  signal: string;
  route?: Route;
  flag?: Flag;
  /** The words in the message that fired the signal, so an officer can see why. */
  evidence: string[];
}

export interface TriageDecision {
  route: Route;
  flags: Flag[];
  confidence: number;
  reasons: TriageReason[];
  /** Score per route behind the decision (a route fires at 3), for explanation and evaluation. */
  scores?: Record<Route, number>;
}
