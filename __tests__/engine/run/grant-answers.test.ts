// What a grant's result says once its write is answered: failed, done at once, a request followed
// to its end (or to the deadline), a held assignment read back; and a write that never got an
// answer. The before and after always say what the service showed, never what was hoped.
import { describe, expect, it } from '@jest/globals';
import { markPossiblyApplied } from '../../../src/engine/calls/call-failures.js';
import type { WriteOutcome } from '../../../src/engine/calls/driver.js';
import type { Ownership } from '../../../src/engine/calls/ownership-proofs.js';
import type { StatusSnapshot } from '../../../src/engine/calls/status.js';
import { Deadline, NotSentError } from '../../../src/engine/limits/deadline.js';
import { RequestFollower } from '../../../src/engine/run/follow.js';
import {
  failedBeforeAnswer,
  judgeOutcome,
  type Known,
  type Write,
} from '../../../src/engine/run/grant-answers.js';
import type { AwsGrant } from '../../../src/core/types.js';
import { answeringDriver, grant, ids } from './answering-driver.js';

const known = (operation: 'assign' | 'revoke'): Known => ({
  cloud: 'aws',
  operation,
  principal: 'alice',
  target: '111111111111',
  role: 'Admin',
  changed: false,
  before: operation === 'assign' ? 'absent' : 'present',
  after: 'unknown',
  change: operation === 'assign' ? 'create' : 'delete',
});
const write = (operation: 'assign' | 'revoke'): Write<AwsGrant> => ({
  grant,
  ids,
  known: known(operation),
  intended: operation === 'assign' ? 'present' : 'absent',
});

/** Judges `outcome` of a write, following any request with a fast pacing; the ownerships reported. */
async function judged(
  outcome: WriteOutcome,
  operation: 'assign' | 'revoke' = 'assign',
  more: {
    wait?: boolean;
    seconds?: number;
    proof?: { created: true } | { created: false; why: string };
  } = {},
) {
  const ownerships: Ownership[] = [];
  const deadline = new Deadline(more.seconds ?? 10);
  const result = await judgeOutcome(outcome, write(operation), {
    driver: answeringDriver(
      () => Promise.reject(new Error('create is not reached here')),
      async () => more.proof ?? { created: true },
    ),
    options: {
      operation,
      wait: more.wait ?? true,
      deadline,
      onOwnership: (_, __, o) => void ownerships.push(o),
    },
    follower: new RequestFollower({ deadline }),
  });
  return { result, ownerships };
}

const request = (statuses: StatusSnapshot[], release?: () => void) => {
  let read = 0;
  return {
    kind: 'pending' as const,
    request: {
      requestId: 'req-1',
      poll: async () => statuses[Math.min(read++, statuses.length - 1)]!,
      pacing: { key: 'fast', expectedMs: 5 },
      ...(release ? { release } : {}),
    },
  };
};

describe('a write the service refused', () => {
  it('is FAILED with its reason and request, and the assignment as it was', async () => {
    const { result } = await judged({
      kind: 'failed',
      failureReason: 'ConflictException',
      requestId: 'req-0',
    });
    expect(result).toMatchObject({
      status: 'FAILED',
      failureReason: 'ConflictException',
      requestId: 'req-0',
      before: 'absent',
      after: 'absent',
    });
  });
});

describe('a write done at once', () => {
  it('that changed something: before is the opposite of what was intended', async () => {
    const { result } = await judged({ kind: 'done', changed: true }, 'revoke');
    expect(result).toMatchObject({ status: 'SUCCEEDED', changed: true, before: 'present', after: 'absent' });
  });

  it('that changed nothing: it was already as intended', async () => {
    const { result } = await judged({ kind: 'done', changed: false }, 'revoke');
    expect(result).toMatchObject({ status: 'SUCCEEDED', changed: false, before: 'absent', after: 'absent' });
  });

  it('that left the assignment otherwise than intended: says what the service showed', async () => {
    const { result } = await judged(
      { kind: 'done', changed: false, after: 'present', note: 'a lock' },
      'revoke',
    );
    expect(result).toMatchObject({ before: 'present', after: 'present', note: 'a lock' });
  });
});

describe('a request followed to its end', () => {
  it('whose end names what it put in force: that assignment, its end, and the read’s warning beside the write’s', async () => {
    const { result } = await judged({
      ...request([
        { status: 'IN_PROGRESS' },
        {
          status: 'SUCCEEDED',
          assignmentId: 'instance-1',
          expiresAt: '2026-12-01T08:00:00.000Z',
          warning: 'read',
        },
      ]),
      warning: 'written',
    });
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      assignmentId: 'instance-1',
      expiresAt: '2026-12-01T08:00:00.000Z',
      warning: 'written; read',
    });
  });

  it('not waited for (`wait: false`): IN_PROGRESS, its end unknown, and its place given back', async () => {
    let released = 0;
    const { result } = await judged(
      request([{ status: 'SUCCEEDED' }], () => released++),
      'assign',
      {
        wait: false,
      },
    );
    expect(result).toMatchObject({
      status: 'IN_PROGRESS',
      changed: true,
      after: 'unknown',
      requestId: 'req-1',
    });
    expect(released).toBe(1);
  });

  it("SUCCEEDED: the assignment as intended, and an assign's create proven the step's", async () => {
    const { result, ownerships } = await judged(
      request([{ status: 'IN_PROGRESS' }, { status: 'SUCCEEDED' }]),
    );
    expect(result).toMatchObject({ status: 'SUCCEEDED', changed: true, before: 'absent', after: 'present' });
    expect(ownerships).toEqual(['created']);
  });

  it('SUCCEEDED, but another party made it: the note says revoke-on-exit leaves it in place', async () => {
    const why = 'another create for it ran too';
    const { result, ownerships } = await judged(request([{ status: 'SUCCEEDED' }]), 'assign', {
      proof: { created: false, why },
    });
    expect(result.note).toBe(`revoke-on-exit leaves it in place: ${why}`);
    expect(ownerships).toEqual(['contested']);
  });

  it("FAILED: its reason, the assignment as it was, and an assign's create not the step's", async () => {
    const { result, ownerships } = await judged(request([{ status: 'FAILED', failureReason: 'quota' }]));
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'quota', after: 'absent' });
    expect(ownerships).toEqual(['not-created']);
  });

  it('awaiting a person (a PIM approval): IN_PROGRESS with what it waits for', async () => {
    const awaiting = 'the request awaits approval';
    const { result } = await judged(request([{ status: 'IN_PROGRESS', awaiting }]));
    expect(result).toMatchObject({ status: 'IN_PROGRESS', awaiting: true, failureReason: awaiting });
  });

  it('still running at the deadline: IN_PROGRESS, naming the request, the input and the fix', async () => {
    const { result } = await judged(request([{ status: 'IN_PROGRESS' }]), 'assign', { seconds: 0.2 });
    expect(result.status).toBe('IN_PROGRESS');
    expect(result.failureReason).toMatch(
      /^still IN_PROGRESS when the 0\.2s deadline \(`timeout-seconds`\) passed; request req-1 may still finish; raise `timeout-seconds`/,
    );
  });
});

describe('an assignment held, read back', () => {
  const held = (status: StatusSnapshot) => ({
    kind: 'held' as const,
    check: {
      requestId: 'req-h',
      poll: async () => status,
      pacing: { key: 'fast', expectedMs: 5 },
      unread: 'the assignment was not read back',
    },
  });

  it('shown there: SUCCEEDED, unchanged, with the assignment it found', async () => {
    const { result } = await judged(held({ status: 'SUCCEEDED', assignmentId: 'a-1' }));
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      changed: false,
      before: 'present',
      after: 'present',
      assignmentId: 'a-1',
      requestId: 'req-h',
    });
  });

  it('not read by the deadline: FAILED, saying what was unread and which input to raise', async () => {
    const { result } = await judged(held({ status: 'IN_PROGRESS' }), 'assign', { seconds: 0.2 });
    expect(result).toMatchObject({ status: 'FAILED', after: 'absent' });
    expect(result.failureReason).toBe(
      "the assignment was not read back; still unread when the 0.2s deadline (`timeout-seconds`) passed: raise `timeout-seconds` to wait longer for the service's reads",
    );
  });
});

describe('a write that got no answer', () => {
  it('never sent (the deadline came first): IN_PROGRESS, and nothing was written', () => {
    const error = new NotSentError('CreateAccountAssignment', 'a rate-limit token', new Deadline(30));
    expect(failedBeforeAnswer(error, known('assign'), true)).toMatchObject({
      status: 'IN_PROGRESS',
      failureReason: expect.stringMatching(/; nothing was written for this grant$/),
    });
  });

  it('a create sent whose answer was lost: FAILED, and a note that it may have been applied', () => {
    const lost = new Error('socket hang up');
    markPossiblyApplied(lost);
    expect(failedBeforeAnswer(lost, known('assign'), true)).toMatchObject({
      status: 'FAILED',
      failureReason: 'socket hang up',
      note: expect.stringMatching(/^the create was sent but its answer never came: it may have been applied/),
    });
    expect(failedBeforeAnswer(lost, known('revoke'), false)).not.toHaveProperty('note');
    expect(failedBeforeAnswer(new Error('refused'), known('assign'), true)).not.toHaveProperty('note');
  });
});
