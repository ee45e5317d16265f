import { z } from 'zod';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const MIN_INTERVAL_SECONDS = 10;
export const MAX_INTERVAL_SECONDS = 86_400;

const monitorUrl = z
  .string({ message: 'URL is required' })
  .trim()
  .min(1, 'URL is required')
  .max(2048, 'URL must be at most 2048 characters')
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'Must be an absolute http:// or https:// URL')
  // fetch refuses URLs with credentials, so such a monitor could never be checked.
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.username === '' && url.password === '';
    } catch {
      return true;
    }
  }, 'Must not contain a user name or password');

const statusCode = (label: string) =>
  z.number({ message: `${label} must be a number` }).int(`${label} must be a whole number`).min(100).max(599);

const monitorFields = {
  name: z.string({ message: 'Name is required' }).trim().min(1, 'Name is required').max(100, 'Name must be at most 100 characters'),
  url: monitorUrl,
  method: z.enum(HTTP_METHODS, { message: `Method must be one of ${HTTP_METHODS.join(', ')}` }),
  intervalSeconds: z
    .number({ message: 'Interval must be a number' })
    .int('Interval must be a whole number of seconds')
    .min(MIN_INTERVAL_SECONDS, `Interval must be at least ${MIN_INTERVAL_SECONDS} seconds`)
    .max(MAX_INTERVAL_SECONDS, `Interval must be at most ${MAX_INTERVAL_SECONDS} seconds`),
  timeoutSeconds: z
    .number({ message: 'Timeout must be a number' })
    .int('Timeout must be a whole number of seconds')
    .min(1, 'Timeout must be at least 1 second')
    .max(60, 'Timeout must be at most 60 seconds'),
  expectedStatusMin: statusCode('Lowest expected status'),
  expectedStatusMax: statusCode('Highest expected status'),
  paused: z.boolean({ message: 'Paused must be true or false' }),
};

const rangeIsOrdered = (v: { expectedStatusMin?: number; expectedStatusMax?: number }) =>
  v.expectedStatusMin === undefined || v.expectedStatusMax === undefined || v.expectedStatusMin <= v.expectedStatusMax;
const rangeMessage = { message: 'Lowest expected status must not exceed the highest', path: ['expectedStatusMax'] };

/** A new HTTP monitor; omitted fields take the defaults users expect (GET, 60 s, 10 s, 200-299). */
export const createMonitorInput = z
  .object({
    name: monitorFields.name,
    url: monitorFields.url,
    method: monitorFields.method.default('GET'),
    intervalSeconds: monitorFields.intervalSeconds.default(60),
    timeoutSeconds: monitorFields.timeoutSeconds.default(10),
    expectedStatusMin: monitorFields.expectedStatusMin.default(200),
    expectedStatusMax: monitorFields.expectedStatusMax.default(299),
    paused: monitorFields.paused.default(false),
  })
  .strict()
  .refine(rangeIsOrdered, rangeMessage)
  .refine((v) => v.timeoutSeconds <= v.intervalSeconds, {
    message: 'Timeout must not exceed the interval',
    path: ['timeoutSeconds'],
  });

/** A change to a monitor: any subset of its fields. */
export const updateMonitorInput = z
  .object(monitorFields)
  .partial()
  .strict()
  .refine(rangeIsOrdered, rangeMessage);

export type CreateMonitorInput = z.output<typeof createMonitorInput>;
export type UpdateMonitorInput = z.output<typeof updateMonitorInput>;

export const emailInput = z
  .string({ message: 'Email is required' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Must be a valid email address' }).max(254, 'Email must be at most 254 characters'));

export const newPasswordInput = z
  .string({ message: 'Password is required' })
  .min(10, 'Password must be at least 10 characters')
  .max(200, 'Password must be at most 200 characters');

/** Groups validation issues by field, one message each, for forms and API errors alike. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

/** Thrown when a change is valid by itself but not with the monitor's other fields. */
export class InvalidMonitorChange extends Error {
  readonly statusCode = 400;
  constructor(readonly fields: Record<string, string>) {
    super('Invalid input');
  }
}

/**
 * The errors of a monitor after `patch` (e.g. a timeout longer than the interval it keeps), by
 * field; null when the result is a valid monitor.
 */
export function changedMonitorErrors(current: Record<keyof CreateMonitorInput, unknown>, patch: UpdateMonitorInput): Record<string, string> | null {
  const { name, url, method, intervalSeconds, timeoutSeconds, expectedStatusMin, expectedStatusMax, paused } = current;
  const merged = { name, url, method, intervalSeconds, timeoutSeconds, expectedStatusMin, expectedStatusMax, paused, ...patch };
  const parsed = createMonitorInput.safeParse(merged);
  return parsed.success ? null : fieldErrors(parsed.error);
}
