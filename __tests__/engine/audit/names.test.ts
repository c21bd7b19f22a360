// What a record calls its IDs where the step's reads did not say: looked up in batches, each ID
// once, and never in place of a name the record holds. The clouds' namers are tested against the
// emulator (__tests__/aws/audit-names.test.ts, __tests__/azure/audit-names.test.ts).
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { describe, expect, it } from '@jest/globals';
import { BatchedNames, withNames } from '../../../src/engine/audit/names.js';
import { AuditTrail } from '../../../src/engine/audit/trail.js';
import type { AuditSink } from '../../../src/engine/audit/sink.js';
import { AUDITED_GRANT, AUDITED_RUN } from '../../harness/audited-grant.js';

describe('names a record lacks', () => {
  it('are looked up in batches of at most the batch size, each ID once', async () => {
    const lookups: string[][] = [];
    const names = new BatchedNames(async (ids) => {
      lookups.push(ids);
      return new Map(ids.filter((id) => id !== 'gone').map((id) => [id, `name of ${id}`]));
    }, 2);
    const asked = await Promise.all(['a', 'b', 'c', 'a', 'gone'].map((id) => names.nameOf(id)));
    expect(asked).toEqual(['name of a', 'name of b', 'name of c', 'name of a', undefined]);
    expect(lookups).toEqual([
      ['a', 'b'],
      ['c', 'gone'],
    ]);
    expect(await names.nameOf('b')).toBe('name of b');
    expect(lookups).toHaveLength(2);
  });

  it('leave an ID unnamed when the lookup fails, and ask later IDs again', async () => {
    let fail = true;
    const names = new BatchedNames(async (ids) => {
      if (fail) throw new Error('denied');
      return new Map(ids.map((id) => [id, id.toUpperCase()]));
    }, 10);
    expect(await names.nameOf('a')).toBeUndefined();
    fail = false;
    expect(await names.nameOf('b')).toBe('B');
  });

  it('fill only the names a record does not hold', () => {
    const record = {
      version: 1 as const,
      n: 1,
      time: '',
      step: 'main' as const,
      operation: 'assign' as const,
      change: 'grant' as const,
      run: {},
      principal: { id: 'p', name: 'alice' },
      role: { id: 'r' },
    };
    expect(withNames(record, { principal: 'mallory', role: 'Reader', target: 'prod' })).toMatchObject({
      principal: { id: 'p', name: 'alice' },
      role: { id: 'r', name: 'Reader' },
    });
    expect(withNames(record, {})).not.toHaveProperty('target');
  });

  it('are in each change record the trail writes', async () => {
    const bodies: string[] = [];
    const sink: AuditSink = {
      where: 'memory',
      prefix: 'p',
      permission: 'none',
      async putOnce(_key, body) {
        bodies.push(body);
        return 'written';
      },
    };
    const trail = new AuditTrail(sink, { step: 'main', operation: 'assign', run: AUDITED_RUN }, () => {}, {
      deadline: new Deadline(30),
    });
    trail.nameWith({ namesOf: async () => ({ target: 'Production', role: 'Other' }) });
    await trail.beforeFirstWrite('assign', () => []);
    const { targetName: _, ...unnamed } = AUDITED_GRANT;
    trail.recordResult(unnamed);
    await trail.settled();
    expect(JSON.parse(bodies[1]!)).toMatchObject({
      target: { id: '123456789012', name: 'Production' },
      role: { name: 'ReadOnly' },
    });
  });
});
