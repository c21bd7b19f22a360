// The write events a snapshot's delta reads from the step's own CloudTrail event history and from
// each account `event-history-roles` names, on the emulated STS and CloudTrail through the real
// SDKs: each role assumed from the step's credentials, each event once by its EventId, and a role
// that cannot be assumed named with why, never a failure of the read.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { createAwsClients } from '../../../src/aws/sdk/clients.js';
import { readDeltaEvents } from '../../../src/aws/snapshot/other-histories.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import {
  ACCOUNT,
  READ_ONLY,
  BOB,
  awsPlan,
  emulatedDeps,
  emulatedSso,
  looseLookupPacing,
} from '../../harness/emulated-sso.js';

const sso = emulatedSso();
const SAME_ACCOUNT_ROLE = 'arn:aws:iam::123456789012:role/history';
const MANAGEMENT_ROLE = 'arn:aws:iam::210987654321:role/history';
const DENYING_ROLE = 'arn:aws:iam::333333333333:role/history';
const STEP_ACCOUNT = 'arn:aws:iam::123456789012:root';

beforeEach(() => {
  const { aws, env } = sso.emulator;
  process.env.AWS_ENDPOINT_URL_STS = env.AWS_ENDPOINT_URL_STS;
  aws.config.cloudTrailTps = 100;
  aws.assumableRoles.push(
    { arn: SAME_ACCOUNT_ROLE, trustedPrincipals: [STEP_ACCOUNT] },
    { arn: MANAGEMENT_ROLE, trustedPrincipals: [STEP_ACCOUNT] },
    { arn: DENYING_ROLE, trustedPrincipals: ['arn:aws:iam::333333333333:root'] },
  );
});

const bobAt = (accountId: string) => ({
  accountId,
  permissionSetArn: READ_ONLY,
  principalType: 'USER' as const,
  principalId: BOB,
});

describe("the delta's write events, from the step's history and each role's account", () => {
  it("reads each account's history as its role, each event once, and names a role it cannot assume with why", async () => {
    const { aws } = sso.emulator;
    aws.createAssignmentAs(bobAt(ACCOUNT), { principalArn: 'arn:aws:iam::123456789012:user/admin' });
    aws.createAssignmentAs(bobAt('222222222222'), {
      principalArn: 'arn:aws:sts::210987654321:assumed-role/OrganizationAdmin/carol',
    });
    const masked: string[] = [];
    const { deps, seams } = emulatedDeps(sso);
    const clients = createAwsClients(
      awsPlan(),
      { requestToken: deps.requestToken, mask: (secret) => void masked.push(secret) },
      { credentials: seams.credentials!, ...looseLookupPacing() },
    );
    const now = Date.now();
    const read = await readDeltaEvents(
      clients,
      deps,
      emptyStats(),
      [SAME_ACCOUNT_ROLE, MANAGEMENT_ROLE, DENYING_ROLE],
      { since: now - 3_600_000, until: now + 1_000 },
    );
    const creates = read.writes.filter((w) => w.eventName === 'CreateAccountAssignment');
    expect(creates.map((w) => w.requestParameters?.targetId).sort()).toEqual([ACCOUNT, '222222222222']);
    expect(read.unread).toEqual([
      {
        account: '333333333333',
        roleArn: DENYING_ROLE,
        why: expect.stringMatching(
          /^AccessDenied: User: arn:aws:iam::123456789012:user\/emulator is not authorized to perform: sts:AssumeRole/,
        ),
      },
    ]);
    const sessions = aws.sessions.filter((s) => s.principalArn.includes(':assumed-role/history/'));
    expect(sessions).toHaveLength(2);
    for (const session of sessions) expect(masked).toContain(session.secretAccessKey);
  });

  it('names an account whose role it assumed but whose LookupEvents the role may not call, and reads the others', async () => {
    const { aws } = sso.emulator;
    aws.assumableRoles.find((r) => r.arn === MANAGEMENT_ROLE)!.allows = ['sts:AssumeRole'];
    aws.createAssignmentAs(bobAt(ACCOUNT), { principalArn: 'arn:aws:iam::123456789012:user/admin' });
    const { deps, seams } = emulatedDeps(sso);
    const clients = createAwsClients(
      awsPlan(),
      { requestToken: deps.requestToken, mask: () => undefined },
      { credentials: seams.credentials!, ...looseLookupPacing() },
    );
    const now = Date.now();
    const read = await readDeltaEvents(clients, deps, emptyStats(), [MANAGEMENT_ROLE], {
      since: now - 3_600_000,
      until: now + 1_000,
    });
    expect(read.writes.map((w) => w.requestParameters?.targetId)).toContain(ACCOUNT);
    expect(read.unread).toEqual([
      {
        account: '210987654321',
        roleArn: MANAGEMENT_ROLE,
        why: expect.stringMatching(/cloudtrail:LookupEvents/),
      },
    ]);
  });
});
