import { z } from 'zod';
import type { CheckResult, Monitor, User } from '@watchpost/db';
import { HTTP_METHODS } from '@watchpost/domain';

export const errorSchema = z
  .object({
    statusCode: z.number(),
    error: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional().describe('One message per invalid field'),
  })
  .describe('An error');

export const userSchema = z.object({ id: z.string(), email: z.string(), createdAt: z.string() });

export const sessionSchema = z.object({
  user: userSchema,
  csrfToken: z.string().describe('Send this in the x-csrf-token header with every POST, PATCH and DELETE'),
});

export const monitorSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  method: z.enum(HTTP_METHODS),
  intervalSeconds: z.number().int(),
  timeoutSeconds: z.number().int(),
  expectedStatusMin: z.number().int(),
  expectedStatusMax: z.number().int(),
  paused: z.boolean(),
  status: z.enum(['PENDING', 'UP', 'DOWN']),
  lastCheckedAt: z.string().nullable(),
  lastLatencyMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextCheckAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const checkSchema = z.object({
  slot: z.string().describe('The due slot this result belongs to'),
  checkedAt: z.string(),
  ok: z.boolean(),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  error: z.string().nullable().describe('Why the check failed, in words'),
});

export const monitorParams = z.object({ id: z.string().describe('Monitor id') });

export function toUserDto(user: User): z.infer<typeof userSchema> {
  return { id: user.id, email: user.email, createdAt: user.createdAt.toISOString() };
}

export function toMonitorDto(m: Monitor): z.infer<typeof monitorSchema> {
  return {
    id: m.id,
    name: m.name,
    url: m.url,
    method: m.method as (typeof HTTP_METHODS)[number],
    intervalSeconds: m.intervalSeconds,
    timeoutSeconds: m.timeoutSeconds,
    expectedStatusMin: m.expectedStatusMin,
    expectedStatusMax: m.expectedStatusMax,
    paused: m.paused,
    status: m.status,
    lastCheckedAt: m.lastCheckedAt?.toISOString() ?? null,
    lastLatencyMs: m.lastLatencyMs,
    lastError: m.lastError,
    nextCheckAt: m.nextCheckAt.toISOString(),
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

export function toCheckDto(c: CheckResult): z.infer<typeof checkSchema> {
  return {
    slot: c.slot.toISOString(),
    checkedAt: c.checkedAt.toISOString(),
    ok: c.ok,
    statusCode: c.statusCode,
    latencyMs: c.latencyMs,
    error: c.error,
  };
}

/** Response schemas every authenticated route shares. */
export const authErrors = { 401: errorSchema, 403: errorSchema } as const;
