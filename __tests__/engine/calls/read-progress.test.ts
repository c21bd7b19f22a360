// A read that takes long says where its calls stand, as a batch of writes does: a first line 10 s
// in, then one every 15 s until the read settles, with the calls answered, in flight and waiting
// for their turn, and how long the oldest in flight has been out. Driven by a clock the test moves.
import { describe, expect, it } from '@jest/globals';
import { FIRST_PROGRESS_MS, PROGRESS_EVERY_MS } from '../../../src/engine/calls/progress.js';
import { CallActivity, readProgressLine, withReadProgress } from '../../../src/engine/calls/read-progress.js';
import { fakeClock } from './fake-clock.js';

describe('the calls of a step', () => {
  it('count as queued while they wait for their turn, in flight once sent, answered once back', () => {
    const { clock, advance } = fakeClock();
    const activity = new CallActivity(clock);
    const turn = activity.waiting();
    expect(activity.counts()).toEqual({ answered: 0, inFlight: 0, queued: 1, oldestInFlightMs: undefined });
    turn();
    const first = activity.sent();
    advance(2_000);
    const second = activity.sent();
    advance(1_000);
    expect(activity.counts()).toEqual({ answered: 0, inFlight: 2, queued: 0, oldestInFlightMs: 3_000 });
    first();
    first(); // an end said twice counts once
    expect(activity.counts()).toEqual({ answered: 1, inFlight: 1, queued: 0, oldestInFlightMs: 1_000 });
    second();
    expect(activity.counts()).toMatchObject({ answered: 2, inFlight: 0, oldestInFlightMs: undefined });
  });
});

describe('a read that takes longer than 10 s', () => {
  it('prints a line at 10 s, then every 15 s, and none once it has settled', async () => {
    const { clock, advance, pending } = fakeClock();
    const activity = new CallActivity(clock);
    const lines: string[] = [];
    let finish: (value: string) => void = () => undefined;
    const reading = withReadProgress(
      'CloudTrail’s history',
      () => new Promise<string>((resolve) => (finish = resolve)),
      { say: (line) => lines.push(line), activity, clock },
    );
    const answered = activity.sent();
    activity.waiting();
    advance(FIRST_PROGRESS_MS - 1);
    expect(lines).toEqual([]);
    advance(1);
    expect(lines).toEqual([
      'still reading after 10 s (CloudTrail’s history): 0 calls answered, 1 in flight, 1 queued; the oldest in flight for 10 s',
    ]);
    answered();
    advance(PROGRESS_EVERY_MS);
    expect(lines[1]).toBe(
      'still reading after 25 s (CloudTrail’s history): 1 calls answered, 0 in flight, 1 queued',
    );
    finish('read');
    await expect(reading).resolves.toBe('read');
    expect(pending()).toBe(0);
    advance(60_000);
    expect(lines).toHaveLength(2);
  });

  it('stops its lines when the read fails, and passes the failure on', async () => {
    const { clock, advance, pending } = fakeClock();
    const lines: string[] = [];
    const reading = withReadProgress('the runs on GitHub', () => Promise.reject(new Error('refused')), {
      say: (line) => lines.push(line),
      clock,
    });
    await expect(reading).rejects.toThrow('refused');
    expect(pending()).toBe(0);
    advance(60_000);
    expect(lines).toEqual([]);
  });

  it('counts the calls made since the read began, against its estimate when it has one', async () => {
    const { clock, advance } = fakeClock();
    const activity = new CallActivity(clock);
    activity.sent()(); // a call of an earlier stage
    const lines: string[] = [];
    let finish: () => void = () => undefined;
    const reading = withReadProgress(
      'the instance’s assignments',
      () => new Promise<void>((r) => (finish = r)),
      {
        say: (line) => lines.push(line),
        activity,
        estimate: () => 1608,
        clock,
      },
    );
    activity.sent()();
    activity.sent()();
    advance(FIRST_PROGRESS_MS);
    expect(lines).toEqual([
      'still reading after 10 s (the instance’s assignments): 2 of about 1,608 calls answered, 0 in flight, 0 queued',
    ]);
    finish();
    await reading;
  });

  it('without counts to show, says only how long it has read', () => {
    expect(readProgressLine('the targets', 40_400, undefined)).toBe('still reading after 40 s (the targets)');
  });
});
