// A driver's writes wait for the step's first audit record, and none reaches the cloud when the
// record cannot be written; its reads go on meanwhile (src/engine/audit/guard.ts). The driver is a
// recording one of the test's own, the trail the real one over an in-memory store.
import { describe, expect, it } from '@jest/globals';
import { auditedDriver } from '../../../src/engine/audit/guard.js';
import { AuditTrail } from '../../../src/engine/audit/trail.js';
import { AuditSinkError, type AuditSink } from '../../../src/engine/audit/sink.js';
import type { GrantDriver } from '../../../src/engine/calls/driver.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import type { Grant } from '../../../src/core/types.js';

function store(refuse: boolean): AuditSink & { keys: string[] } {
  const keys: string[] = [];
  return {
    keys,
    where: '`s3://bucket/audit`',
    prefix: 'audit',
    permission: '`s3:PutObject` on `arn:aws:s3:::bucket/audit/*`',
    putOnce(key) {
      if (refuse) return Promise.reject(new AuditSinkError('AccessDenied: no', true));
      keys.push(key);
      return Promise.resolve('written');
    },
  };
}

/** A driver that records which of its methods were called, and when the store held how many records. */
function recordingDriver(sink: { keys: string[] }) {
  const calls: string[] = [];
  const note = (name: string) => () => {
    calls.push(`${name} after ${sink.keys.length} record(s)`);
    return Promise.resolve({ kind: 'done', changed: true } as never);
  };
  const driver = {
    cloud: 'aws',
    findExisting: note('findExisting'),
    create: note('create'),
    remove: note('remove'),
    update: note('update'),
    registerReliance: note('registerReliance'),
  } as unknown as GrantDriver;
  return { driver, calls };
}

const grant = {
  cloud: 'aws',
  written: { principal: 'alice', target: '111111111111', role: 'ReadOnly' },
} as unknown as Grant;
const step = {
  step: 'main' as const,
  operation: 'assign' as const,
  run: { repositoryId: '1', runId: '2', runAttempt: '1' },
};

describe('a driver under the audit log', () => {
  it('sends each write only once the first record is written, and reads without waiting', async () => {
    const sink = store(false);
    const { driver, calls } = recordingDriver(sink);
    const audited = auditedDriver(
      driver,
      new AuditTrail(sink, step, () => undefined, { deadline: new Deadline(60) }),
      'assign',
      [grant],
    );
    await audited.findExisting({} as never);
    await audited.create({} as never);
    await audited.remove({} as never, undefined);
    await audited.update!({} as never, {} as never);
    await audited.registerReliance!({} as never, {} as never);
    expect(calls).toEqual([
      'findExisting after 0 record(s)',
      'create after 1 record(s)',
      'remove after 1 record(s)',
      'update after 1 record(s)',
      'registerReliance after 1 record(s)',
    ]);
    expect(sink.keys).toHaveLength(1);
  });

  it('sends no write at all when the store refuses the first record, and says which permission is missing', async () => {
    const sink = store(true);
    const { driver, calls } = recordingDriver(sink);
    const audited = auditedDriver(
      driver,
      new AuditTrail(sink, step, () => undefined, { deadline: new Deadline(60) }),
      'assign',
      [grant],
    );
    const refusal = { input: 'audit-log', fix: expect.stringContaining('s3:PutObject') };
    await expect(audited.create({} as never)).rejects.toMatchObject(refusal);
    await expect(audited.remove({} as never, undefined)).rejects.toMatchObject(refusal);
    expect(calls).toEqual([]);
  });
});
