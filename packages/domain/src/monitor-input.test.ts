import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  changedMonitorErrors,
  createMonitorInput,
  emailInput,
  fieldErrors,
  MAX_INTERVAL_SECONDS,
  MIN_INTERVAL_SECONDS,
  newPasswordInput,
  updateMonitorInput,
} from './monitor-input.js';

/** The per-field messages of a rejected input; fails the test when the input is accepted. */
function errorsOf(schema: z.ZodType, input: unknown): Record<string, string> {
  const result = schema.safeParse(input);
  expect(result.success, `expected ${JSON.stringify(input)} to be rejected`).toBe(false);
  return fieldErrors(result.error!);
}

const valid = { name: 'Homepage', url: 'https://example.com/health' };

describe('createMonitorInput', () => {
  it('fills the defaults users expect', () => {
    expect(createMonitorInput.parse(valid)).toEqual({
      name: 'Homepage',
      url: 'https://example.com/health',
      method: 'GET',
      intervalSeconds: 60,
      timeoutSeconds: 10,
      expectedStatusMin: 200,
      expectedStatusMax: 299,
      paused: false,
    });
  });

  it('trims the name and the URL', () => {
    expect(createMonitorInput.parse({ name: '  Shop  ', url: '  http://shop.example/  ' })).toMatchObject({
      name: 'Shop',
      url: 'http://shop.example/',
    });
  });

  it('accepts every field when valid', () => {
    const input = {
      ...valid,
      method: 'HEAD',
      intervalSeconds: MIN_INTERVAL_SECONDS,
      timeoutSeconds: 5,
      expectedStatusMin: 200,
      expectedStatusMax: 204,
      paused: true,
    };
    expect(createMonitorInput.parse(input)).toEqual(input);
  });

  it('rejects an interval below the minimum or above the maximum', () => {
    expect(MIN_INTERVAL_SECONDS).toBe(10);
    expect(errorsOf(createMonitorInput, { ...valid, intervalSeconds: 9, timeoutSeconds: 5 })).toEqual({
      intervalSeconds: 'Interval must be at least 10 seconds',
    });
    expect(errorsOf(createMonitorInput, { ...valid, intervalSeconds: MAX_INTERVAL_SECONDS + 1 })).toEqual({
      intervalSeconds: `Interval must be at most ${MAX_INTERVAL_SECONDS} seconds`,
    });
    expect(errorsOf(createMonitorInput, { ...valid, intervalSeconds: 30.5 })).toEqual({
      intervalSeconds: 'Interval must be a whole number of seconds',
    });
    expect(errorsOf(createMonitorInput, { ...valid, intervalSeconds: '60' })).toEqual({
      intervalSeconds: 'Interval must be a number',
    });
  });

  it.each([
    ['not a url'],
    ['example.com'],
    ['/relative/path'],
    ['http://'],
    ['https://exa mple.com'],
  ])('rejects the malformed URL %j', (url) => {
    expect(errorsOf(createMonitorInput, { ...valid, url })).toEqual({ url: 'Must be an absolute http:// or https:// URL' });
  });

  it.each([['ftp://example.com/file'], ['file:///etc/passwd'], ['javascript:alert(1)'], ['ws://example.com/socket']])(
    'rejects the non-http scheme of %j',
    (url) => {
      expect(errorsOf(createMonitorInput, { ...valid, url })).toEqual({ url: 'Must be an absolute http:// or https:// URL' });
    },
  );

  it.each([['http://user:secret@example.com/'], ['https://user@example.com/health']])('rejects the URL with credentials %j', (url) => {
    expect(errorsOf(createMonitorInput, { ...valid, url })).toEqual({ url: 'Must not contain a user name or password' });
    expect(errorsOf(updateMonitorInput, { url })).toEqual({ url: 'Must not contain a user name or password' });
  });

  it('requires a name and a URL, and limits their length', () => {
    expect(errorsOf(createMonitorInput, {})).toEqual({ name: 'Name is required', url: 'URL is required' });
    expect(errorsOf(createMonitorInput, { name: '   ', url: '' })).toEqual({ name: 'Name is required', url: 'URL is required' });
    expect(errorsOf(createMonitorInput, { ...valid, name: 'n'.repeat(101) })).toEqual({ name: 'Name must be at most 100 characters' });
    expect(errorsOf(createMonitorInput, { ...valid, url: `https://example.com/${'a'.repeat(2048)}` })).toEqual({
      url: 'URL must be at most 2048 characters',
    });
  });

  it('rejects unknown keys', () => {
    const result = createMonitorInput.safeParse({ ...valid, userId: 'someone-else', headers: {} });
    expect(result.success).toBe(false);
    expect(result.error!.issues.some((issue) => issue.code === 'unrecognized_keys')).toBe(true);
    expect(JSON.stringify(result.error!.issues)).toContain('userId');
  });

  it('rejects an unknown method, bad status codes and an inverted range', () => {
    expect(errorsOf(createMonitorInput, { ...valid, method: 'TRACE' })).toEqual({
      method: 'Method must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
    });
    expect(Object.keys(errorsOf(createMonitorInput, { ...valid, expectedStatusMin: 99 }))).toEqual(['expectedStatusMin']);
    expect(Object.keys(errorsOf(createMonitorInput, { ...valid, expectedStatusMax: 600 }))).toEqual(['expectedStatusMax']);
    expect(errorsOf(createMonitorInput, { ...valid, expectedStatusMin: 300, expectedStatusMax: 299 })).toEqual({
      expectedStatusMax: 'Lowest expected status must not exceed the highest',
    });
  });

  it('rejects a timeout longer than the interval', () => {
    expect(errorsOf(createMonitorInput, { ...valid, intervalSeconds: 10, timeoutSeconds: 11 })).toEqual({
      timeoutSeconds: 'Timeout must not exceed the interval',
    });
    expect(createMonitorInput.parse({ ...valid, intervalSeconds: 10, timeoutSeconds: 10 }).timeoutSeconds).toBe(10);
    expect(errorsOf(createMonitorInput, { ...valid, timeoutSeconds: 0 })).toEqual({
      timeoutSeconds: 'Timeout must be at least 1 second',
    });
  });
});

describe('updateMonitorInput', () => {
  it('accepts any subset of fields, and nothing at all', () => {
    expect(updateMonitorInput.parse({})).toEqual({});
    expect(updateMonitorInput.parse({ paused: true })).toEqual({ paused: true });
    expect(updateMonitorInput.parse({ intervalSeconds: 300, name: ' Renamed ' })).toEqual({ intervalSeconds: 300, name: 'Renamed' });
  });

  it('adds no defaults to a partial change', () => {
    expect(updateMonitorInput.parse({ name: 'x' })).not.toHaveProperty('method');
    expect(updateMonitorInput.parse({ name: 'x' })).not.toHaveProperty('paused');
  });

  it('validates the fields it is given like createMonitorInput does', () => {
    expect(errorsOf(updateMonitorInput, { intervalSeconds: 5 })).toEqual({ intervalSeconds: 'Interval must be at least 10 seconds' });
    expect(errorsOf(updateMonitorInput, { url: 'gopher://example.com' })).toEqual({ url: 'Must be an absolute http:// or https:// URL' });
    expect(errorsOf(updateMonitorInput, { url: 'nonsense' })).toEqual({ url: 'Must be an absolute http:// or https:// URL' });
    expect(errorsOf(updateMonitorInput, { paused: 'yes' })).toEqual({ paused: 'Paused must be true or false' });
    expect(errorsOf(updateMonitorInput, { expectedStatusMin: 400, expectedStatusMax: 399 })).toEqual({
      expectedStatusMax: 'Lowest expected status must not exceed the highest',
    });
  });

  it('rejects unknown keys, such as an attempt to change the owner or status', () => {
    for (const patch of [{ userId: 'x' }, { status: 'UP' }, { nextCheckAt: '2030-01-01T00:00:00Z' }]) {
      const result = updateMonitorInput.safeParse(patch);
      expect(result.success, JSON.stringify(patch)).toBe(false);
      expect(result.error!.issues[0]!.code).toBe('unrecognized_keys');
    }
  });
});

describe('fieldErrors', () => {
  it('gives one message per field, the first one reported', () => {
    const errors = errorsOf(createMonitorInput, { name: '', url: 'ftp://x', method: 'TRACE', intervalSeconds: 1, paused: 'no' });
    expect(errors).toEqual({
      name: 'Name is required',
      url: 'Must be an absolute http:// or https:// URL',
      method: 'Method must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
      intervalSeconds: 'Interval must be at least 10 seconds',
      paused: 'Paused must be true or false',
    });
    for (const message of Object.values(errors)) expect(typeof message).toBe('string');
  });

  it('puts issues without a path under "_"', () => {
    expect(errorsOf(createMonitorInput, 'not an object')).toHaveProperty('_');
    expect(Object.keys(errorsOf(createMonitorInput, null))).toEqual(['_']);
  });
});

describe('emailInput and newPasswordInput', () => {
  it('normalises an email to trimmed lower case and rejects a malformed one', () => {
    expect(emailInput.parse('  Alice@Example.COM ')).toBe('alice@example.com');
    expect(emailInput.safeParse('alice@').success).toBe(false);
    expect(errorsOf(emailInput, 'no-at-sign')).toEqual({ _: 'Must be a valid email address' });
  });

  it('requires a password of 10 to 200 characters', () => {
    expect(newPasswordInput.parse('0123456789')).toBe('0123456789');
    expect(errorsOf(newPasswordInput, '012345678')).toEqual({ _: 'Password must be at least 10 characters' });
    expect(errorsOf(newPasswordInput, 'p'.repeat(201))).toEqual({ _: 'Password must be at most 200 characters' });
  });
});

describe('changedMonitorErrors', () => {
  const current = { name: 'API', url: 'https://example.com/', method: 'GET', intervalSeconds: 15, timeoutSeconds: 10, expectedStatusMin: 200, expectedStatusMax: 299, paused: false };

  it('judges a change together with the fields the monitor keeps', () => {
    expect(changedMonitorErrors(current, { timeoutSeconds: 15 })).toBeNull();
    expect(changedMonitorErrors(current, { timeoutSeconds: 30 })).toEqual({ timeoutSeconds: 'Timeout must not exceed the interval' });
    expect(changedMonitorErrors(current, { intervalSeconds: 10, timeoutSeconds: 12 })).toEqual({ timeoutSeconds: 'Timeout must not exceed the interval' });
    expect(changedMonitorErrors(current, { expectedStatusMin: 300 })).toEqual({ expectedStatusMax: 'Lowest expected status must not exceed the highest' });
  });
});
