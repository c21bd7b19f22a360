// Since when a report's (and a review's) AWS row is held, where CloudTrail has not delivered its
// create yet (about 15 minutes late): the creation-status list, which has no delay, says a grant
// made minutes ago, or deleted and made again, was made then, never before the history read. With
// that list refused, no row is told made before the history: its use is unknown, never a delete.
import { describe, expect, it } from '@jest/globals';
import { readAssignmentHistory } from '../../../src/aws/account-assignment/history.js';
import { placeKeyOf, type AssignmentPlace } from '../../../src/core/claims/aws-writes.js';
import { createSsoSession } from '../../../src/aws/sso/session.js';
import {
  ACCOUNT,
  ADMIN,
  ALICE,
  awsPlan,
  BOB,
  DEPLOYERS,
  emulatedDeps,
  emulatedSso,
  READ_ONLY,
} from '../../harness/emulated-sso.js';

const sso = emulatedSso();
const admin = { principalArn: 'arn:aws:iam::123456789012:user/admin' };
const place = (
  principalId: string,
  principalType: 'USER' | 'GROUP' = 'USER',
  permissionSetArn = READ_ONLY,
): AssignmentPlace => ({ principalType, principalId, permissionSetArn, accountId: ACCOUNT });
const DAY = 86_400_000;
const assignment = (p: AssignmentPlace) => ({
  accountId: p.accountId,
  permissionSetArn: p.permissionSetArn,
  principalType: p.principalType,
  principalId: p.principalId,
});

/**
 * alice's ReadOnly grant is older than the history; bob's was made a minute ago; Deployers' was
 * made 3 days ago, deleted and made again in the last minutes; alice's Admin grant was made 3 days
 * ago and created again a minute ago (a create of what exists, which makes nothing).
 */
async function history() {
  const aws = sso.emulator.aws;
  // CloudTrail has delivered what is older than 15 minutes only.
  aws.config.cloudTrailDelayMs = 15 * 60_000;
  const deployers = assignment(place(DEPLOYERS, 'GROUP'));
  const alicesAdmin = assignment(place(ALICE, 'USER', ADMIN));
  sso.addAssignment(ALICE);
  aws.createAssignmentAs(assignment(place(BOB)), admin, Date.now() - 60_000);
  aws.createAssignmentAs(deployers, admin, Date.now() - 3 * DAY);
  aws.deleteAssignmentAs(deployers, admin, Date.now() - 120_000);
  aws.createAssignmentAs(deployers, admin, Date.now() - 60_000);
  aws.createAssignmentAs(alicesAdmin, admin, Date.now() - 3 * DAY);
  aws.createAssignmentAs(alicesAdmin, admin, Date.now() - 60_000);
  const { deps, seams } = emulatedDeps(sso);
  const session = createSsoSession(awsPlan(), deps, seams);
  await session.prepare();
  const notes: string[] = [];
  const read = await readAssignmentHistory(
    session,
    deps,
    [place(ALICE), place(BOB), place(DEPLOYERS, 'GROUP'), place(ALICE, 'USER', ADMIN)],
    { createdBy: new Set(), lookbackSeconds: 90 * 86_400 },
    notes,
  );
  const of = (p: AssignmentPlace) => read.granted.get(placeKeyOf(p));
  return {
    alice: of(place(ALICE)),
    bob: of(place(BOB)),
    deployers: of(place(DEPLOYERS, 'GROUP')),
    alicesAdmin: of(place(ALICE, 'USER', ADMIN)),
    notes,
  };
}

describe('a grant CloudTrail has not shown yet', () => {
  it('made again where the deletion-status list is refused is not known when it was made (a create after a known one may have been, or made nothing): never made now, which a review would take as granted after its due date', async () => {
    sso.emulator.aws.faults.accessDenied = ['ListAccountAssignmentDeletionStatus'];
    const { deployers, alicesAdmin, notes } = await history();
    expect([deployers, alicesAdmin]).toEqual([undefined, undefined]);
    expect(notes.join('\n')).toMatch(
      /deletion-status list was not read .*sso:ListAccountAssignmentDeletionStatus/,
    );
  });

  it('is made when the status lists say, new or deleted and made again; an older one before the history; a create of what exists changes nothing', async () => {
    const { alice, bob, deployers, alicesAdmin } = await history();
    expect(alice).toEqual({ before: expect.any(String) });
    expect(Date.now() - Date.parse(bob!.at!)).toBeLessThan(5 * 60_000);
    expect(Date.now() - Date.parse(deployers!.at!)).toBeLessThan(5 * 60_000);
    expect(Date.now() - Date.parse(alicesAdmin!.at!)).toBeGreaterThan(2 * DAY);
  });

  it('with the creation-status list refused, no row is told made before the history, and the permission is named', async () => {
    sso.emulator.aws.faults.accessDenied = ['ListAccountAssignmentCreationStatus'];
    const { alice, bob, notes } = await history();
    expect([alice, bob]).toEqual([undefined, undefined]);
    expect(notes.join('\n')).toMatch(
      /creation-status list was not read .*sso:ListAccountAssignmentCreationStatus/,
    );
  });
});
