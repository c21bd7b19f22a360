// Since when and by whom a report's AWS row is held, from CloudTrail's creates and deletes: the
// first create of the assignment's current life, its caller or its run, and before the history
// read when the history does not reach it.
import { describe, expect, it } from '@jest/globals';
import { grantedOf, runsOf } from '../../../src/aws/account-assignment/history.js';
import { placeKeyOf } from '../../../src/core/claims/aws-writes.js';
import type { AssignmentPlace, TrailWrite } from '../../../src/core/claims/aws-writes.js';

const ROLE = 'arn:aws:iam::123456789012:role/cloud-access-assign';
const PLACE: AssignmentPlace = {
  principalType: 'USER',
  principalId: 'u-1',
  permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
  accountId: '111111111111',
};
const HISTORY_FROM = Date.parse('2025-01-01T00:00:00Z');
const at = (iso: string) => Date.parse(iso);

function write(
  kind: 'create' | 'delete',
  when: string,
  by: { session?: string; role?: string } = {},
): TrailWrite {
  const session = by.session ?? 'alice';
  return {
    kind,
    place: PLACE,
    at: at(when),
    actor: by.role
      ? `arn:aws:sts::123456789012:assumed-role/cloud-access-assign/${session}`
      : `arn:aws:iam::123456789012:user/${session}`,
    roleArn: by.role,
    sessionName: by.role ? session : undefined,
    failed: false,
    eventId: `${kind}-${when}`,
  };
}
const grantedHere = (writes: TrailWrite[]) =>
  [...grantedOf(writes, [PLACE], new Set([ROLE]), HISTORY_FROM).values()][0];

describe('since when and by whom an AWS assignment is held', () => {
  it('is the first create since its last delete, by its caller', () => {
    expect(
      grantedHere([
        write('create', '2025-01-05T00:00:00Z', { session: 'mallory' }),
        write('delete', '2025-01-06T00:00:00Z'),
        write('create', '2025-01-07T00:00:00Z', { session: 'alice' }),
        write('create', '2025-01-08T00:00:00Z', { session: 'bob' }),
      ]),
    ).toEqual({ at: '2025-01-07T00:00:00.000Z', by: { id: 'arn:aws:iam::123456789012:user/alice' } });
  });

  it('is a run when a cloud-access session of `created-by` made it', () => {
    const granted = grantedHere([
      write('create', '2025-01-07T00:00:00Z', { role: ROLE, session: 'cloud-access-42-901-1-e' }),
    ]);
    expect(granted).toMatchObject({
      at: '2025-01-07T00:00:00.000Z',
      run: { repositoryId: '42', runId: '901', attempt: '1' },
    });
  });

  it('is before the history read when no create of it is in it, or its first is a run’s reliance', () => {
    expect(grantedHere([])).toEqual({ before: '2025-01-01T00:00:00.000Z' });
    expect(
      grantedHere([
        write('create', '2025-01-07T00:00:00Z', { role: ROLE, session: 'cloud-access-42-901-1-r' }),
      ]),
    ).toEqual({ before: '2025-01-01T00:00:00.000Z' });
  });
});

describe('the run an AWS assignment is held for', () => {
  const DAY = 24 * 3_600_000;
  const runHere = (writes: TrailWrite[]) =>
    runsOf(writes, new Set([placeKeyOf(PLACE)]), new Set([ROLE]), at('2025-01-07T00:00:00Z') - DAY, DAY).get(
      placeKeyOf(PLACE),
    );

  it('is a relying run (`-r`) on a grant a person made, as a reconcile weighs it', () => {
    const held = runHere([
      write('create', '2025-01-07T00:00:00Z', { session: 'admin' }),
      write('create', '2025-01-07T01:00:00Z', { role: ROLE, session: 'cloud-access-42-78-1-r' }),
    ]);
    expect(held?.runClaim?.standing).toEqual({ holds: true });
    // A reliance, never the creation: the report says it, and classes the grant by its creation.
    expect(held?.runClaim?.reliance).toBe(true);
    expect(held?.mark).toMatchObject({
      run: { repositoryId: '42', runId: '78', attempt: '1' },
      ephemeral: true,
    });
  });

  it('is none for a grant a person made that no run relied on', () => {
    expect(runHere([write('create', '2025-01-07T00:00:00Z', { session: 'admin' })])).toBeUndefined();
  });
});
