import { describe, expect, it } from 'vitest';
import { JOBS, JOBS_BY_QUEUE, QUEUES } from '@watchpost/queue';
import { assertHandlersComplete, type Handler, type Handlers } from './workers.js';

const handler: Handler = async () => undefined;

function complete(): Handlers {
  return {
    [QUEUES.checks]: { [JOBS.check]: handler },
    [QUEUES.maintenance]: { [JOBS.retention]: handler },
  };
}

describe('assertHandlersComplete', () => {
  it('accepts one handler for every job name of every queue', () => {
    expect(() => assertHandlersComplete(complete())).not.toThrow();
  });

  it('covers every queue and job the queue package declares', () => {
    const handlers = complete();
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(JOBS_BY_QUEUE).sort());
    for (const [queue, names] of Object.entries(JOBS_BY_QUEUE)) {
      expect(Object.keys(handlers[queue]!).sort()).toEqual([...names].sort());
    }
  });

  it('rejects a queue whose job has no handler, naming both', () => {
    const handlers = complete();
    handlers[QUEUES.maintenance] = {};
    expect(() => assertHandlersComplete(handlers)).toThrow('queue maintenance: missing handlers [retention], unknown handlers []');
  });

  it('rejects a queue that has no handlers at all', () => {
    const { [QUEUES.checks]: _dropped, ...withoutChecks } = complete();
    expect(() => assertHandlersComplete(withoutChecks)).toThrow('queue checks: missing handlers [check]');
  });

  it('rejects a handler for a job name the queue does not carry', () => {
    const handlers = complete();
    handlers[QUEUES.checks]!.rollup = handler;
    expect(() => assertHandlersComplete(handlers)).toThrow('queue checks: missing handlers [], unknown handlers [rollup]');
  });

  it('rejects a handler filed under the wrong queue', () => {
    const handlers: Handlers = {
      [QUEUES.checks]: { [JOBS.check]: handler, [JOBS.retention]: handler },
      [QUEUES.maintenance]: {},
    };
    expect(() => assertHandlersComplete(handlers)).toThrow(/queue checks: .*unknown handlers \[retention\]/);
  });

  it('rejects handlers for a queue nobody produces', () => {
    const handlers: Handlers = { ...complete(), emails: { send: handler } };
    expect(() => assertHandlersComplete(handlers)).toThrow('handlers for unknown queues: emails');
  });
});
