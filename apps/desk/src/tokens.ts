import type { DeskSettings } from '@desk/config';

/** The desk's settings from its environment. */
export const DESK_SETTINGS = Symbol('DESK_SETTINGS');
export type DeskRuntimeSettings = DeskSettings & { atRiskMs: number; targetHours: number };

/** A Redis connection for the desk's own keys (login limits, presence) and publishing events. */
export const DESK_REDIS = Symbol('DESK_REDIS');
