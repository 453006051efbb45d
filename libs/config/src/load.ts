import { type z } from 'zod';

/** A service's environment did not validate; `problems` name each bad or missing variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`${service}: invalid configuration: ${problems.join('; ')}`);
  }
}

type Env = Record<string, string | undefined>;

/**
 * Validates `source` against `schema`. Empty strings count as missing, so that a variable left
 * blank in a .env file is reported rather than silently accepted.
 */
export function parseEnv<S extends z.ZodObject>(service: string, schema: S, source: Env): z.infer<S> {
  const cleaned: Env = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '(environment)');
    if (cleaned[name] === undefined) {
      return `${name} is missing (${issue.code === 'custom' ? issue.message : describe(schema, name)})`;
    }
    return `${name} is invalid: ${issue.message}`;
  });
  throw new ConfigError(service, problems);
}

function describe(schema: z.ZodObject, name: string): string {
  const field = schema.shape[name] as z.ZodType | undefined;
  return field?.description ?? 'required';
}
