import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envSchema } from './schema.js';

const RUNNER_ONLY = ['FORMATION'];

function exampleSettings(): Map<string, string> {
  const text = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
  const settings = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) settings.set(match[1]!, match[2]!);
  }
  return settings;
}

describe('.env.example', () => {
  it('lists exactly the settings the config module reads, plus the runner-only ones', () => {
    expect([...exampleSettings().keys()].sort()).toEqual([...Object.keys(envSchema.shape), ...RUNNER_ONLY].sort());
  });

  it('shows each optional setting with the default the config module applies', () => {
    const example = exampleSettings();
    for (const [name, field] of Object.entries(envSchema.shape)) {
      const parsed = field.safeParse(undefined);
      if (!parsed.success || parsed.data === undefined) continue;
      expect(example.get(name), name).toBe(String(parsed.data));
    }
  });
});
