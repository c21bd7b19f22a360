// The audit log's rule: never a change without its record. The trail is driven over a store of
// the test's own that keeps objects in memory and refuses what it is told to (the sink interface,
// engine/audit/sink.ts; the real stores are tested end to end against the S3 emulation and Azurite).
import { describe, expect, it } from '@jest/globals';
import { AuditTrail } from '../../../src/engine/audit/trail.js';
import { AuditSinkError, type AuditSink } from '../../../src/engine/audit/sink.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';

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
const bound = (seconds = 60, input?: string) => ({ deadline: new Deadline(seconds, Date.now, input) });

/** A store that never answers a write, until its request is aborted; it keeps the signals it was given. */
function silentSink(): AuditSink & { signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  return {
    signals,
    where: '`s3://bucket/audit`',
    prefix: 'audit',
    permission: '`s3:PutObject` on `arn:aws:s3:::bucket/audit/*`',
    putOnce(_key, _body, signal) {
      signals.push(signal);
      return new Promise(() => undefined);
    },
  };
}

/** A trail on `sink` whose records start at 1, written at `at`, within a deadline that does not pass. */
const trailAt = (sink: AuditSink) =>
  new AuditTrail(
    sink,
    step,
    () => undefined,
    bound(),
    1,
    () => at,
  );

describe('the audit trail', () => {
  it('writes the first record once, however many writes ask for it at once', async () => {
    const sink = memorySink();
    const trail = trailAt(sink);
    const planned = () => [{ principal: 'alice', target: '1', role: 'R' }];
    await Promise.all([trail.beforeFirstWrite('assign', planned), trail.beforeFirstWrite('assign', planned)]);
    expect([...sink.objects.keys()]).toEqual(['audit/2026/11/26/1-2-1-1.json']);
    expect(JSON.parse(sink.objects.get('audit/2026/11/26/1-2-1-1.json')!)).toMatchObject({
      change: 'plan',
      plannedCount: 1,
    });
  });

  it('lists the kinds’ own changes planned beside the grants, whichever write asks for the first record', async () => {
    const sink = memorySink();
    const trail = trailAt(sink);
    trail.planBesides(() => [{ list: 'plannedSetNotes', change: 'delete', name: 'ReadOnlyAccess|on-call' }]);
    // A grant's write asks first, knowing only the grants.
    await trail.beforeFirstWrite('revoke', () => [{ principal: 'alice', target: '1', role: 'R' }]);
    expect(JSON.parse(sink.objects.get('audit/2026/11/26/1-2-1-1.json')!)).toMatchObject({
      change: 'plan',
      plannedCount: 1,
      plannedSetNotes: [{ change: 'delete', name: 'ReadOnlyAccess|on-call' }],
    });
  });

  it('skips numbers another step of the run attempt took: an object is never replaced', async () => {
    const sink = memorySink();
    sink.objects.set('audit/2026/11/26/1-2-1-1.json', 'another step’s');
    const trail = trailAt(sink);
    await trail.beforeFirstWrite('assign', () => []);
    expect(sink.objects.get('audit/2026/11/26/1-2-1-1.json')).toBe('another step’s');
    expect(sink.objects.has('audit/2026/11/26/1-2-1-2.json')).toBe(true);
  });

  it('refuses every write when the first record is refused, naming the sink and the permission', async () => {
    const trail = trailAt(memorySink(true));
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
    const trail = trailAt(sink);
    // A name with a line break in it stays on the record's one line, escaped.
    await trail.beforeFirstWrite('assign', () => [{ principal: 'alice\nbob', target: '1', role: 'R' }]);
    const body = sink.objects.get('audit/2026/11/26/1-2-1-1.json')!;
    expect(body.endsWith('\n')).toBe(true);
    expect(body.slice(0, -1)).not.toMatch(/[\r\n]/);
    expect(JSON.parse(body)).toMatchObject({ planned: [{ principal: 'alice\nbob' }] });
  });

  it('writes a change a kind’s own run made as the kind builds it, naming the IDs it lacks, and asks for no first record of its own', async () => {
    const sink = memorySink();
    const trail = trailAt(sink);
    trail.nameWith({ namesOf: async () => ({ role: 'ReadOnly' }) });
    // The kind's run waited for the step's first record before it made the change (a provisioning's).
    trail.recordNamedChange('provision of ps-1 to 1', { change: 'provision', role: { id: 'ps-1' } });
    await trail.settled();
    expect([...sink.objects.keys()]).toEqual(['audit/2026/11/26/1-2-1-1.json']);
    expect(JSON.parse(sink.objects.get('audit/2026/11/26/1-2-1-1.json')!)).toMatchObject({
      n: 1,
      change: 'provision',
      role: { id: 'ps-1', name: 'ReadOnly' },
    });
  });
});

describe('the audit trail inside the step’s deadline', () => {
  it('abandons a first record the store never answers when the deadline passes, naming the store, not a cloud request', async () => {
    const sink = silentSink();
    const trail = new AuditTrail(sink, step, () => undefined, bound(0.2));
    const refused = await trail.beforeFirstWrite('assign', () => []).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      input: 'audit-log',
      message: expect.stringMatching(
        /first record could not be written to `s3:\/\/bucket\/audit` \(`s3:\/\/bucket\/audit` did not answer within the step's 0\.2s deadline \(`timeout-seconds`\)\), so nothing was written to the cloud/,
      ),
      fix: expect.stringMatching(
        /`s3:\/\/bucket\/audit` is reachable from the runner and answers, or raise `timeout-seconds`/,
      ),
    });
    // The store's request was told to give up too, so no connection outlives the step.
    expect(sink.signals.map((s) => s.aborted)).toEqual([true]);
  });

  it('says the post step’s own budget when the post step’s store never answers', async () => {
    const trail = new AuditTrail(
      silentSink(),
      { ...step, step: 'post' },
      () => undefined,
      bound(0.2, 'post-timeout-seconds'),
    );
    await expect(trail.beforeFirstWrite('revoke', () => [])).rejects.toMatchObject({
      message: expect.stringContaining("within the step's 0.2s deadline (`post-timeout-seconds`)"),
      fix: expect.stringContaining('raise `post-timeout-seconds`'),
    });
  });

  it('warns of a change’s record the store did not answer by the deadline, and settles by then', async () => {
    const sink = memorySink();
    const warnings: string[] = [];
    const trail = new AuditTrail(sink, step, (w) => warnings.push(w), bound(0.3));
    await trail.beforeFirstWrite('assign', () => []);
    sink.putOnce = silentSink().putOnce;
    trail.recordResult({
      cloud: 'aws',
      operation: 'assign',
      principal: 'alice',
      target: '111111111111',
      role: 'R',
      status: 'SUCCEEDED',
      changed: true,
      change: 'create',
      before: 'absent',
      after: 'present',
      durationMs: 1,
    });
    await trail.settled();
    expect(warnings).toEqual([
      expect.stringMatching(
        /^audit-log: the record of the grant of R on 111111111111 for alice was not written to `s3:\/\/bucket\/audit` \(`s3:\/\/bucket\/audit` did not answer within the step's 0\.3s deadline \(`timeout-seconds`\)\); the change was made/,
      ),
    ]);
  });

  it('writes nothing once the deadline has passed', async () => {
    const sink = silentSink();
    const trail = new AuditTrail(sink, step, () => undefined, bound(0));
    await expect(trail.beforeFirstWrite('assign', () => [])).rejects.toThrow(/did not answer within/);
    expect(sink.signals).toEqual([]);
  });
});
