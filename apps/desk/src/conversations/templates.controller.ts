import { Controller, Get } from '@nestjs/common';
import {
  DEFAULT_DESK_TEMPLATES,
  fillKnownPlaceholders,
  placeholdersIn,
  type DeskTemplate,
  type TemplateView,
  type Templates,
  type TrustContacts,
} from '@desk/domain';
import { SettingsRepository } from '@desk/persistence';
import { Roles, WORKERS } from '../auth/roles.js';

const AUTOMATIC_TITLES: Record<string, string> = {
  emergency: 'Emergency signposting (999, 111, Samaritans)',
  clinical: "Clinical: we can't advise here",
  appointment: 'Appointments: contact the team',
  press_ack: 'Media: passed to the press office',
};

/** The composer's templates: the officers' set and the automatic ones, trust details filled in. */
@Controller('api/templates')
export class TemplatesController {
  constructor(private readonly settings: SettingsRepository) {}

  @Get()
  @Roles(...WORKERS)
  async list(): Promise<TemplateView[]> {
    const [desk, automatic, trust] = await Promise.all([
      this.settings.get('desk.templates'),
      this.settings.get('templates'),
      this.settings.get('trust'),
    ]);
    const values = (trust ?? {}) as TrustContacts;
    const officers = Array.isArray(desk) ? (desk as DeskTemplate[]) : DEFAULT_DESK_TEMPLATES;
    const autos = Object.entries((automatic ?? {}) as Partial<Templates>).map(([key, variants]) => ({
      key: `auto-${key}`,
      title: AUTOMATIC_TITLES[key] ?? key,
      body: variants?.default ?? '',
    }));
    return [...officers, ...autos].map((t) => {
      const body = fillKnownPlaceholders(t.body, values);
      return { key: t.key, title: t.title, body, placeholders: placeholdersIn(body) };
    });
  }
}
