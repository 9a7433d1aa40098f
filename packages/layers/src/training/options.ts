import { z } from 'zod';
import { unknownOption } from '../identifiers.ts';

/** Parse options with a zod schema; errors name the call, the option and the value given. */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => unknownOption(k, knownKeys(schema))).join('; ');
    const path = issue.path.join('.');
    const given = issue.path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined), value);
    return `${path ? `'${path}' ` : ''}${issue.message.replace(/^Invalid input: /, '')} (got ${describe(given)})`;
  });
  throw new Error(`${where}: ${problems.join('; ')}`);
}

/** The option names an object schema accepts (none known for other schemas). */
function knownKeys(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function describe(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  if (v && typeof v === 'object') return v.constructor?.name && v.constructor !== Object ? `a ${v.constructor.name}` : 'an object';
  return JSON.stringify(v) ?? String(v);
}

export const positiveInt = z.number().int().min(1);
export const verbosity = z.union([z.literal(0), z.literal(1), z.literal(2)]);
export const logSink = z.custom<(line: string) => void>((v) => typeof v === 'function', 'expected a function (line: string) => void');
