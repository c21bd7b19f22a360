// The audit log's rule: never a change without its record. The trail is driven over a store of
// the test's own that keeps objects in memory and refuses what it is told to (the sink interface,
// engine/audit/trail.ts; the real stores are tested end to end against the S3 emulation and Azurite).
import { describe, expect, it } from '@jest/globals';
import { AuditSinkError, AuditTrail, type AuditSink } from '../../../src/engine/audit/trail.js';

function memorySink(refuse = false): AuditSink & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  return {
    objects,
    where: '`s3://bucket/audit`',
    prefix: 'audit',
    permission: '`s3:PutObject` on `arn:aws:s3:::bucket/audit/*`',
    putOnce(key, body) {
      if (refuse) return Promise.reject(new AuditSinkError('AccessDenied: no', true));
      if (objects.has(key)) return Promise.resolve('taken');
      objects.set(key, body);
      return Promise.resolve('written');
    },
  };
}

const step = {
  step: 'main' as const,
  operation: 'assign' as const,
  run: { repositoryId: '1', runId: '2', runAttempt: '1' },
};
const at = Date.parse('2026-11-26T10:00:00Z');

describe('the audit trail', () => {
  it('writes the first record once, however many writes ask for it at once', async () => {
    const sink = memorySink();
    const trail = new AuditTrail(
      sink,
      step,
      () => undefined,
      1,
      () => at,
    );
    const planned = () => [{ principal: 'alice', target: '1', role: 'R' }];
    await Promise.all([trail.beforeFirstWrite('assign', planned), trail.beforeFirstWrite('assign', planned)]);
    expect([...sink.objects.keys()]).toEqual(['audit/2026/11/26/1-2-1-1.json']);
    expect(JSON.parse(sink.objects.get('audit/2026/11/26/1-2-1-1.json')!)).toMatchObject({
      change: 'plan',
      plannedCount: 1,
    });
  });

  it('skips numbers another step of the run attempt took: an object is never replaced', async () => {
    const sink = memorySink();
    sink.objects.set('audit/2026/11/26/1-2-1-1.json', 'another step’s');
    const trail = new AuditTrail(
      sink,
      step,
      () => undefined,
      1,
      () => at,
    );
    await trail.beforeFirstWrite('assign', () => []);
    expect(sink.objects.get('audit/2026/11/26/1-2-1-1.json')).toBe('another step’s');
    expect(sink.objects.has('audit/2026/11/26/1-2-1-2.json')).toBe(true);
  });

  it('refuses every write when the first record is refused, naming the sink and the permission', async () => {
    const trail = new AuditTrail(
      memorySink(true),
      step,
      () => undefined,
      1,
      () => at,
    );
    const asked = trail.beforeFirstWrite('assign', () => []);
    await expect(asked).rejects.toThrow(
      /first record could not be written to `s3:\/\/bucket\/audit`.*nothing was written/,
    );
    await expect(trail.beforeFirstWrite('assign', () => [])).rejects.toMatchObject({
      input: 'audit-log',
      fix: expect.stringMatching(/`s3:PutObject` on `arn:aws:s3:::bucket\/audit\/\*`/),
    });
  });

  it('writes each record as one line of JSON, as Athena’s JSON reader reads a record', async () => {
    const sink = memorySink();
    const trail = new AuditTrail(
      sink,
      step,
      () => undefined,
      1,
      () => at,
    );
    // A name with a line break in it stays on the record's one line, escaped.
    await trail.beforeFirstWrite('assign', () => [{ principal: 'alice\nbob', target: '1', role: 'R' }]);
    const body = sink.objects.get('audit/2026/11/26/1-2-1-1.json')!;
    expect(body.endsWith('\n')).toBe(true);
    expect(body.slice(0, -1)).not.toMatch(/[\r\n]/);
    expect(JSON.parse(body)).toMatchObject({ planned: [{ principal: 'alice\nbob' }] });
  });
});
