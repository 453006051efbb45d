import type { z } from 'zod';
import { ApiException } from './api-error.js';

/** Validates a request body or query with zod; a bad one is a 400 naming each field's problem. */
export function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  throw new ApiException('invalid', problems.join('; '));
}
