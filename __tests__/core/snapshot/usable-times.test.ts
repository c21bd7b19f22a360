// Whether a run may use a snapshot whose times come from another runner's clock, and how ages and
// limits are said: each in its own unit, as it was written.
import { describe, expect, it } from '@jest/globals';
import { SNAPSHOT_FORMAT, type Snapshot } from '../../../src/core/snapshot/format.js';
import { describeLimit, describeSpan, snapshotUse } from '../../../src/core/snapshot/usable.js';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const MINUTE = 60_000;
const NOW = Date.parse('2026-11-26T12:00:00Z');
const at = (offset: number) => new Date(NOW + offset).toISOString();
const snapshot = (over: Partial<Snapshot> = {}): Snapshot => ({
  format: SNAPSHOT_FORMAT,
  instance: INSTANCE,
  scope: 's',
  completeReadAt: at(-60 * MINUTE),
  watermark: at(-10 * MINUTE),
  permissionSets: [],
  accounts: null,
  places: {},
  groups: {},
  removedMemberships: {},
  principals: {},
  ...over,
});
const wanted = { instance: INSTANCE, scope: 's', now: NOW, fullReadEveryMs: 7 * 24 * 60 * MINUTE };

describe('a snapshot written by a runner whose clock ran ahead', () => {
  it('is not used by a run on a true clock when its times lie more than 5 minutes ahead', () => {
    // The run that wrote it started at its own clock's now: 40 minutes ahead of this one's.
    const written = snapshot({ completeReadAt: at(40 * MINUTE), watermark: at(40 * MINUTE) });
    expect(snapshotUse(written, wanted)).toEqual({
      use: false,
      reason: `its watermark (${at(40 * MINUTE)}) lies 40 min after this step's clock, more than 5 minutes (a runner's clock ahead, or an object written by hand)`,
    });
  });

  it('is used when its times lie at most 5 minutes ahead: runners’ clocks differ by seconds', () => {
    expect(
      snapshotUse(snapshot({ completeReadAt: at(5 * MINUTE), watermark: at(5 * MINUTE) }), wanted),
    ).toEqual({ use: true });
  });

  it('is not used when its last complete read alone lies ahead', () => {
    const use = snapshotUse(snapshot({ completeReadAt: at(10 * MINUTE), watermark: at(3 * MINUTE) }), wanted);
    expect(use).toMatchObject({ use: false, reason: expect.stringContaining('its last complete read') });
  });
});

describe('ages and limits', () => {
  it('are said in their own units, never as "0 days" for a minute', () => {
    const use = snapshotUse(snapshot({ completeReadAt: at(-78_000), watermark: at(-78_000) }), {
      ...wanted,
      fullReadEveryMs: MINUTE,
    });
    expect(use).toEqual({
      use: false,
      reason: 'its last complete read is 1 min 18 s old, more than full-read-every (1 minute)',
    });
  });

  it.each([
    [MINUTE, '1 minute'],
    [12 * 60 * MINUTE, '12 hours'],
    [7 * 24 * 60 * MINUTE, '7 days'],
    [90 * MINUTE, '90 minutes'],
    [30_000, '30 seconds'],
  ])('a limit of %i ms is %s', (ms, said) => {
    expect(describeLimit(ms)).toBe(said);
  });

  it.each([
    [78_400, '1 min 18 s'],
    [8 * 24 * 60 * MINUTE + 3 * 60 * MINUTE + 5 * MINUTE, '8 d 3 h'],
    [2 * 24 * 60 * MINUTE, '2 days'],
    [300, '1 s'],
  ])('an age of %i ms is %s', (ms, said) => {
    expect(describeSpan(ms)).toBe(said);
  });
});
