// Whether a reliance that SUCCEEDED made the grant again: the pure reading of the deletes of the
// assignment since the step began reading (src/aws/sso/reliance-remake.ts). Times are on the
// runner's clock unless said; the service's runs `OFFSET` ahead of it.
import { describe, expect, it } from '@jest/globals';
import type { AccountAssignmentOperationStatus } from '@aws-sdk/client-sso-admin';
import {
  deletesSinceRead,
  STAMP_RESOLUTION_MS,
  windowOf,
  type ReadStart,
  type RelianceTimes,
} from '../../../src/aws/sso/reliance-remake.js';
import { CLOCK_SKEW_MS } from '../../../src/engine/run/ownership.js';

const T = Date.UTC(2026, 0, 1, 12);
const OFFSET = 60_000;
/** The step's snapshot of running creates: asked for at T, answered 200 ms later. */
const READ: ReadStart = { snapshotAskedAt: T, snapshotEndedAt: T + 200 };
/** Its reliance, 3 s later: sent, stamped 40 ms after on the service's clock, answered 80 ms after. */
const RELIANCE: RelianceTimes = {
  requestId: 'rely',
  sentAt: T + 3_000,
  createdAt: T + 3_040 + OFFSET,
  answeredAt: T + 3_080,
};
/** A delete of the assignment stamped at `at` on the runner's clock (the service's is OFFSET ahead). */
const deleted = (
  at: number | undefined,
  Status: AccountAssignmentOperationStatus['Status'] = 'SUCCEEDED',
): AccountAssignmentOperationStatus => ({
  RequestId: `delete-${at}`,
  Status,
  ...(at === undefined ? {} : { CreatedDate: new Date(at + OFFSET) }),
});

describe('windowOf', () => {
  it('bounds the snapshot on the service’s clock by the reliance’s stamp between its send and its answer', () => {
    // The service runs between createdAt - answeredAt (= OFFSET - 40) and createdAt - sentAt (= OFFSET + 40) ahead.
    expect(windowOf(READ, RELIANCE)).toEqual({
      earliest: T + OFFSET - 40 - CLOCK_SKEW_MS,
      certainAfter: T + 200 + OFFSET + 40 + STAMP_RESOLUTION_MS,
    });
  });
});

describe('deletesSinceRead', () => {
  const { certainAfter } = windowOf(READ, RELIANCE);
  const certain = certainAfter - OFFSET;

  it('no delete of it, or only FAILED ones, or ones before the step began reading: a duplicate, as meant', () => {
    expect(deletesSinceRead([], READ, RELIANCE)).toEqual({ kind: 'none' });
    expect(deletesSinceRead([deleted(T + 2_500, 'FAILED')], READ, RELIANCE)).toEqual({ kind: 'none' });
    expect(deletesSinceRead([deleted(T - 40 - CLOCK_SKEW_MS - 1)], READ, RELIANCE)).toEqual({
      kind: 'none',
    });
  });

  it('a SUCCEEDED delete surely after the snapshot ended and no later than the reliance: made by it, if no other create could have', () => {
    for (const at of [certain, T + 2_500, T + 3_000 + 39])
      expect(deletesSinceRead([deleted(at)], READ, RELIANCE)).toEqual({
        kind: 'made-if-sole',
        deleted: `request delete-${at}, SUCCEEDED`,
      });
  });

  it('one stamped within the resolution and latency of the snapshot’s end may have ended before a create that ended before it', () => {
    for (const at of [certain - 1, T + 200, T - 40 - CLOCK_SKEW_MS]) {
      const said = deletesSinceRead([deleted(at)], READ, RELIANCE);
      expect(said).toEqual({
        kind: 'maybe',
        why: expect.stringContaining("stamped too close to the step's read"),
      });
    }
  });

  it('one still running, stamped after the reliance, or with no time: the reliance may have made it, unshown', () => {
    expect(deletesSinceRead([deleted(T + 2_500, 'IN_PROGRESS')], READ, RELIANCE)).toEqual({
      kind: 'maybe',
      why: expect.stringContaining('it has not ended'),
    });
    // Stamped with the reliance, or after it: which ended first cannot be told.
    for (const at of [T + 3_040, T + 3_041])
      expect(deletesSinceRead([deleted(at)], READ, RELIANCE)).toEqual({
        kind: 'maybe',
        why: expect.stringContaining('stamped no earlier than the reliance'),
      });
    expect(deletesSinceRead([deleted(undefined)], READ, RELIANCE)).toEqual({
      kind: 'maybe',
      why: expect.stringContaining('gives no time for it'),
    });
  });

  it('one stamped before the read but still running as the step began reading may have ended after its read', () => {
    const before = deleted(T - 40 - CLOCK_SKEW_MS - 5_000);
    expect(deletesSinceRead([before], READ, RELIANCE)).toEqual({ kind: 'none' });
    const running: ReadStart = { ...READ, deletesRunning: new Set([before.RequestId!]) };
    expect(deletesSinceRead([before], running, RELIANCE)).toEqual({
      kind: 'maybe',
      why: expect.stringContaining('still running when this step began reading'),
    });
  });

  it('any doubtful delete outweighs one the proof could rest on, and names the reliance', () => {
    const said = deletesSinceRead([deleted(T + 2_500), deleted(T + 200)], READ, RELIANCE);
    expect(said).toEqual({
      kind: 'maybe',
      why: expect.stringContaining("this step's reliance (request rely) may have made it again"),
    });
  });

  it('a runner clock behind or ahead of the service’s moves the window with it', () => {
    for (const skew of [-300_000, 300_000]) {
      const reliance = { ...RELIANCE, createdAt: RELIANCE.createdAt + skew };
      const at = T + 2_500 + skew;
      expect(deletesSinceRead([deleted(at)], READ, reliance)).toMatchObject({ kind: 'made-if-sole' });
      expect(deletesSinceRead([deleted(T + 200 + skew)], READ, reliance)).toMatchObject({ kind: 'maybe' });
    }
  });
});
