// When a followed request is read (src/engine/run/request-turns.ts): at its kind's prediction until
// a read found it running, then by what that read taught; and what a round takes, kind by kind.
// The follower that reads them is tested in follow.test.ts.
import { describe, expect, it } from '@jest/globals';
import { LatencyEstimate } from '../../../src/engine/limits/latency.js';
import type { StatusPacing } from '../../../src/engine/calls/status.js';
import { Followed, roundAt } from '../../../src/engine/run/request-turns.js';

const pacing = (key: string, expectedMs = 1_000): StatusPacing => ({ key, expectedMs });

const followed = (p: StatusPacing, acceptedAt = 0, estimate = new LatencyEstimate(p)) =>
  new Followed(
    { requestId: `${p.key}-${acceptedAt}`, poll: () => Promise.resolve({ status: 'SUCCEEDED' }) },
    p,
    estimate,
    acceptedAt,
    () => {},
  );

describe('a request’s turn', () => {
  it('is its kind’s predicted completion after its acceptance, until a read finds it running', () => {
    const estimate = new LatencyEstimate(pacing('create', 2_000));
    const f = followed(pacing('create', 2_000), 500, estimate);
    expect(f.dueAt()).toBe(2_500);
    estimate.sawRunning(3_000);
    expect(f.dueAt()).toBe(500 + estimate.expectedMs);
  });

  it('after a read found it running, is the estimate’s next read after that sighting', () => {
    const estimate = new LatencyEstimate(pacing('create', 2_000));
    const f = followed(pacing('create', 2_000), 0, estimate);
    f.sawRunning(2_000);
    expect(f.runningReads).toBe(1);
    expect(f.dueAt()).toBe(estimate.nextReadAt(2_000, 0));
  });

  it('may be taken a moment early by a round, but not once an early read found it running', () => {
    const f = followed(pacing('create', 1_000));
    expect(f.turnAt(990)).toBe('due');
    f.keptTurn = true;
    expect(f.sameRoundMs()).toBe(0);
    expect(f.turnAt(990)).toBe('soon');
    expect(f.turnAt(1_000)).toBe('due');
  });
});

describe('a round', () => {
  it('takes the requests due now and those due within the gather window, kind by kind, and none being read', () => {
    const creates = pacing('create', 1_000);
    const deletes = pacing('delete', 10_000);
    const createEstimate = new LatencyEstimate(creates);
    const due = followed(creates, 0, createEstimate);
    const soon = followed(creates, 50, createEstimate);
    const later = followed(creates, 500, createEstimate);
    const busy = followed(creates, 0, createEstimate);
    busy.busy = true;
    const aDelete = followed(deletes, 0);
    expect(roundAt([aDelete, due, soon, later, busy], 1_000)).toEqual([
      { pacing: deletes, due: [], soon: [] },
      { pacing: creates, due: [due], soon: [soon] },
    ]);
  });
});
