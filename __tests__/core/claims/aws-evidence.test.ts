// Which CloudTrail creates are a run's claim, and when a claim holds (core/claims/aws-evidence.ts).
import { describe, expect, it } from '@jest/globals';
import { awsClaimsOf } from '../../../src/core/claims/aws-evidence.js';
import { placeKeyOf, type RecentCreate, type TrailWrite } from '../../../src/core/claims/aws-writes.js';
import { MIN, PLACE, ROLE, trailWrite } from '../../fixtures/trail-writes.js';

const T = Date.parse('2026-11-25T10:00:00Z');
const RUN = 'cloud-access-123456789-777-1-e';

const write = (kind: 'create' | 'delete', at: number, sessionName = RUN, more: Partial<TrailWrite> = {}) =>
  trailWrite(kind, at, sessionName, more);
const person = (kind: 'create' | 'delete', at: number) =>
  write(kind, at, 'alice@example.com', {
    actor: 'arn:aws:iam::123456789012:user/alice',
    roleArn: undefined,
    sessionName: undefined,
  });

const claims = (writes: TrailWrite[], exists = true, recent: RecentCreate[] = []) =>
  awsClaimsOf(writes, recent, { createdBy: new Set([ROLE]), exists: () => exists });

describe('a run’s create is its claim only when nobody else made the assignment', () => {
  it('a lone create by a cloud-access session, still there: holds, with the run it names', () => {
    const [claim] = claims([write('create', T)]);
    expect(claim?.standing).toEqual({ holds: true });
    expect(claim?.mark).toEqual({
      run: { repositoryId: '123456789', runId: '777', attempt: '1' },
      ephemeral: true,
      expiresAt: undefined,
    });
    expect(claim?.evidence).toMatch(
      /^CloudTrail CreateAccountAssignment event-\d+ by .*cloud-access-123456789-777-1-e/,
    );
  });

  it('gone when the assignment is not there now', () => {
    expect(claims([write('create', T)], false)[0]?.standing).toMatchObject({ holds: false, kind: 'gone' });
  });

  it('unproven when another caller created it after the run', () => {
    const [claim] = claims([write('create', T), person('create', T + 5 * MIN)]);
    expect(claim?.standing).toMatchObject({
      holds: false,
      kind: 'unproven',
      reason: expect.stringMatching(/also created by .*alice.* after the run's create/),
    });
  });

  it('unproven when a create CloudTrail has not delivered yet came after the run’s (the creation-status list)', () => {
    const recent = [{ requestId: 'r-unseen', at: T + MIN, place: PLACE, status: 'SUCCEEDED' }];
    expect(claims([write('create', T)], true, recent)[0]?.standing).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/create request r-unseen .*not delivered/),
    });
    // One that FAILED made nothing.
    expect(claims([write('create', T)], true, [{ ...recent[0]!, status: 'FAILED' }])[0]?.standing).toEqual({
      holds: true,
    });
  });

  it('unproven when another caller created it within the 15 minutes before the run’s create', () => {
    const [claim] = claims([
      person('create', T - 10 * MIN),
      person('delete', T - 9 * MIN),
      write('create', T),
    ]);
    expect(claim?.standing).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/10 min before the run's create/),
    });
  });

  it('unproven when it existed before the run: an older create by another caller, never deleted', () => {
    const [claim] = claims([person('create', T - 120 * MIN), write('create', T)]);
    expect(claim?.standing).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/existed before the run/),
    });
    // Deleted in between, the run's create made it.
    expect(
      claims([person('create', T - 120 * MIN), person('delete', T - 60 * MIN), write('create', T)])[0]
        ?.standing,
    ).toEqual({ holds: true });
  });

  it('deleted after the run’s create and made again by a person: not the run’s grant', () => {
    const [claim] = claims([write('create', T), person('delete', T + MIN), person('create', T + 2 * MIN)]);
    expect(claim?.standing).toMatchObject({
      kind: 'unproven',
      reason: expect.stringMatching(/deleted by .*alice.*made again by .*alice/s),
    });
  });

  it('deleted and made again by another run: one claim for the assignment, the new run’s, which stands on its own', () => {
    const other = 'cloud-access-123456789-888-1-e';
    const found = claims([
      write('create', T),
      write('delete', T + MIN),
      write('create', T + 30 * MIN, other),
    ]);
    expect(found.map((c) => [c.mark?.run.runId, c.standing.holds ? 'holds' : c.standing.kind])).toEqual([
      ['888', 'holds'],
    ]);
  });

  it('only sessions of `created-by` roles are claims; refused creates are none', () => {
    expect(claims([person('create', T)])).toEqual([]);
    expect(claims([write('create', T, RUN, { failed: true })])).toEqual([]);
  });

  it('a session name that is not cloud-access’s gives a claim without a run mark', () => {
    const [claim] = claims([write('create', T, 'my-own-session')]);
    expect(claim?.mark).toBeUndefined();
    expect(claim?.standing).toEqual({ holds: true });
  });

  it('one claim per caller and assignment (the step’s own retries are not rivals)', () => {
    const found = claims([write('create', T), write('create', T + 1000)]);
    expect(found).toHaveLength(1);
    expect(found[0]?.standing).toEqual({ holds: true });
    expect(placeKeyOf(PLACE)).toContain('USER|');
  });
});
