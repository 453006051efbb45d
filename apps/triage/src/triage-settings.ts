import { Injectable } from '@nestjs/common';
import type { Templates, TrustContacts } from '@desk/domain';
import { SettingsRepository } from '@desk/persistence';

export interface TriageSettings {
  templates: Templates;
  trust: TrustContacts;
  conversationWindowHours: number;
  strikesToFlag: number;
  strikeWindowDays: number;
}

const TTL_MS = 60_000;

/** Templates, trust contacts and triage thresholds from the settings table, re-read every minute. */
@Injectable()
export class TriageSettingsSource {
  private cached?: { at: number; value: TriageSettings };

  constructor(private readonly settings: SettingsRepository) {}

  async current(): Promise<TriageSettings> {
    if (this.cached && performance.now() - this.cached.at < TTL_MS) return this.cached.value;
    const [templates, trust, triage] = await Promise.all([
      this.settings.get('templates'),
      this.settings.get('trust'),
      this.settings.get('triage'),
    ]);
    if (!templates || typeof templates !== 'object') throw new Error('setting "templates" is missing; run `npm run migrate`');
    const t = (triage ?? {}) as Record<string, unknown>;
    const value: TriageSettings = {
      templates: templates as Templates,
      trust: (trust ?? {}) as TrustContacts,
      conversationWindowHours: Number(t.conversation_window_hours ?? 72),
      strikesToFlag: Number(t.strikes_to_flag ?? 3),
      strikeWindowDays: Number(t.strike_window_days ?? 90),
    };
    this.cached = { at: performance.now(), value };
    return value;
  }
}
