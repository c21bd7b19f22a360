// Where audit records go (src/engine/audit/sink.ts): one record's write to the store, abandoned
// when the step's deadline has passed or the step is cancelled, and the fix a refused or
// unanswered write names. The trail that decides what is written is tested in trail.test.ts.
import { describe, expect, it } from '@jest/globals';
import { AuditSinkError, putWithinBound, sinkFix, type AuditSink } from '../../../src/engine/audit/sink.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';

/** A store that answers as `answer` says (never, when undefined), keeping the signals it was given. */
function store(answer?: () => Promise<'written' | 'taken'>): AuditSink & { signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  return {
    signals,
    where: '`s3://bucket/audit`',
    prefix: 'audit',
    permission: '`s3:PutObject` on `arn:aws:s3:::bucket/audit/*`',
    putOnce(_key, _body, signal) {
      signals.push(signal);
      return answer ? answer() : new Promise(() => undefined);
    },
  };
}

const failureOf = (writing: Promise<unknown>) =>
  writing.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('one record’s write to the store', () => {
  it('hands on what the store answered while the step’s bound holds', async () => {
    const bound = { deadline: new Deadline(600) };
    await expect(
      putWithinBound(
        store(() => Promise.resolve('taken')),
        bound,
        'k',
        'body',
      ),
    ).resolves.toBe('taken');
  });

  it('is abandoned when the step is cancelled, its request told to give up, and says to run the step again', async () => {
    const sink = store();
    const cancel = new AbortController();
    const writing = failureOf(
      putWithinBound(sink, { deadline: new Deadline(600), signal: cancel.signal }, 'k', 'b'),
    );
    cancel.abort();
    const failure = await writing;
    expect(failure).toMatchObject({ message: 'the step was cancelled before `s3://bucket/audit` answered' });
    expect(sink.signals.map((s) => s.aborted)).toEqual([true]);
    expect(sinkFix(sink, failure)).toBe('run the step again');
  });

  it('is not sent once the deadline has passed, and names the input that sets it', async () => {
    const sink = store(() => Promise.resolve('written'));
    const failure = await failureOf(
      putWithinBound(sink, { deadline: new Deadline(0, Date.now, 'post-timeout-seconds') }, 'k', 'b'),
    );
    expect(sink.signals).toEqual([]);
    expect(sinkFix(sink, failure)).toBe(
      'check that `s3://bucket/audit` is reachable from the runner and answers, or raise `post-timeout-seconds`',
    );
  });
});

describe('the fix a record the store refused names', () => {
  const sink = store();

  it('is the store’s own when its refusal says more than a missing permission', () => {
    expect(sinkFix(sink, new AuditSinkError('refused', true, 'turn off the bucket’s object lock'))).toBe(
      'turn off the bucket’s object lock',
    );
  });

  it('is the permission the identity lacks when the store denied it', () => {
    expect(sinkFix(sink, new AuditSinkError('AccessDenied', true))).toBe(
      "give the step's identity `s3:PutObject` on `arn:aws:s3:::bucket/audit/*`",
    );
  });

  it('is to check the store and the permission for any other failure', () => {
    expect(sinkFix(sink, new Error('ENOTFOUND'))).toBe(
      "check that `s3://bucket/audit` exists and is reachable, and that the step's identity has `s3:PutObject` on `arn:aws:s3:::bucket/audit/*`",
    );
  });
});
