import type { Channel } from './channel.js';
import type { TemplateKey } from './actions.js';

/** A template per key: `default`, and shorter variants for channels that need them (X: 280). */
export type Templates = Record<TemplateKey, { default: string } & Partial<Record<Channel, string>>>;

/** Contact details the templates name; they live in the settings table (`trust`). */
export type TrustContacts = Record<string, string>;

export const X_MAX_CHARACTERS = 280;

/** The channel's own variant of a template, else the default. */
export function templateFor(templates: Templates, key: TemplateKey, channel: Channel): string {
  const variants = templates[key];
  if (!variants) throw new Error(`template "${key}" is missing`);
  return variants[channel] ?? variants.default;
}

/** Fills {placeholders}; one with no value is an error, so nothing goes out with a hole in it. */
export function renderTemplate(text: string, values: TrustContacts): string {
  return text.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') throw new Error(`template placeholder {${name}} has no value in the trust settings`);
    return value;
  });
}

