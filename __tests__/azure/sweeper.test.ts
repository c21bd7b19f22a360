// The Azure sweeper against the emulated Entra and ARM, through the real credential and
// @azure/arm-authorization client: which listed assignments are claims, whose marker holds, and
// that a revoke deletes exactly the claimed assignment. The hostile answers the emulator cannot be
// made to give are tried on the pure part in ./role-assignment/run-markers.test.ts.
import { describe, expect, it } from '@jest/globals';
import type { TokenCredential } from '@azure/core-auth';
import { ROLE_GUIDS } from '../../emulator/azure/tenant/roles.js';
import { AzureSweeper } from '../../src/azure/sweeper.js';
import { parseAzureScope, type AzureScope } from '../../src/core/azure-scope.js';
import type { SweepRequest } from '../../src/core/inputs/index.js';
import { revokeSwept } from '../../src/engine/run/sweeper.js';
import { emulatedArm, OBJECT_ID, PRINCIPAL, ROLE_DEFINITIONS, SCOPE, SUB } from '../harness/emulated-arm.js';
import { signedInSession } from '../harness/arm-driver.js';

const arm = emulatedArm();

const OTHER = '99999999-9999-4999-8999-999999999999';
const RG = parseAzureScope(SCOPE) as AzureScope;
const SUBSCRIPTION = parseAzureScope(`/subscriptions/${SUB}`) as AzureScope;
const MARKER = '[cloud-access:octo-org/octo-repo:run:123:2:e]';
const CREATED_ON = new Date('2025-01-02T03:04:05Z');

function setUp(request: Partial<SweepRequest> = {}, credential: TokenCredential = arm.credential()) {
  const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: 'Reader' });
  const { session, deadline } = signedInSession(arm, plan, { credential });
  const sweep: SweepRequest = {
    createdBy: [],
    githubToken: 'unused',
    lookbackSeconds: 0,
    maxDeletions: 10,
    failOnStuck: true,
    scopes: [RG],
    ...request,
  };
  return { sweeper: new AzureSweeper(plan, sweep, session), deadline };
}

/** An assignment of a principal of its own (ARM allows one per principal, role and scope). */
function seed(
  principalId: string,
  description: string | undefined,
  createdBy: string | null = OBJECT_ID,
  scope = SCOPE,
) {
  return arm.az.addRoleAssignment({
    scope,
    roleDefinitionId: ROLE_GUIDS.Reader,
    principalId,
    principalType: 'User',
    ...(description !== undefined ? { description } : {}),
    ...(createdBy !== null ? { createdBy } : {}),
    createdOn: CREATED_ON,
  });
}
const principal = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('read', () => {
  it("takes a marked assignment the sweep's own identity created for a holding claim of its run", async () => {
    const made = seed(principal(1), `Granted by cloud-access for octo-org/octo-repo ${MARKER}`);
    const { sweeper } = setUp();
    const { claims, notes } = await sweeper.read(Date.now());
    expect(claims).toEqual([
      {
        ids: {
          cloud: 'azure',
          principalId: principal(1),
          principalType: 'User',
          scope: RG,
          roleId: `${ROLE_DEFINITIONS}${ROLE_GUIDS.Reader}`,
          name: made.name,
        },
        shown: {
          principal: `user ${principal(1)}`,
          role: `${ROLE_DEFINITIONS}${ROLE_GUIDS.Reader}`,
          target: SCOPE,
        },
        mark: { run: { repository: 'octo-org/octo-repo', runId: '123', attempt: '2' }, ephemeral: true },
        madeBy: OBJECT_ID,
        madeAt: CREATED_ON.getTime(),
        evidence: `description marker ${MARKER} on ${made.id}, createdBy ${OBJECT_ID}, updatedBy ${OBJECT_ID}`,
        standing: { holds: true },
      },
    ]);
    expect(notes.join('\n')).toContain('1 assignment(s) seen: 1 with a run marker, 0 without one');
    expect(notes.join('\n')).toContain("the sweep's own identity");
  });

  it('reads the expiry a marker carries', async () => {
    seed(principal(1), '[cloud-access:octo-org/octo-repo:run:7:1:e1767225600]');
    const { claims } = await setUp().sweeper.read(Date.now());
    expect(claims[0]?.mark).toEqual({
      run: { repository: 'octo-org/octo-repo', runId: '7', attempt: '1' },
      ephemeral: true,
      expiresAt: 1767225600,
    });
  });

  it('holds a marker on an assignment another identity made unproven: a marker copied by hand proves nothing', async () => {
    seed(principal(1), MARKER, OTHER);
    seed(principal(2), MARKER, null);
    const { claims } = await setUp().sweeper.read(Date.now());
    expect(claims.map((c) => [c.ids.principalId, c.madeBy, c.standing])).toEqual([
      [
        principal(1),
        OTHER,
        {
          holds: false,
          kind: 'unproven',
          reason: expect.stringMatching(
            new RegExp(
              `^the marker is on an assignment ${OTHER} created, not one of \`created-by\` \\(${OBJECT_ID}.*\\): a marker copied by hand proves nothing$`,
            ),
          ),
        },
      ],
      [
        principal(2),
        'unknown',
        expect.objectContaining({ reason: expect.stringContaining('an unknown identity created') }),
      ],
    ]);
  });

  it('counts the markers of `created-by` when it is given, and no longer its own', async () => {
    seed(principal(1), MARKER, OTHER);
    seed(principal(2), MARKER, OBJECT_ID);
    const { claims } = await setUp({ createdBy: [OTHER.toUpperCase()] }).sweeper.read(Date.now());
    expect(claims.map((c) => [c.ids.principalId, c.standing.holds])).toEqual([
      [principal(1), true],
      [principal(2), false],
    ]);
  });

  it('takes no unmarked assignment for a claim, and lists one under two overlapping scopes once', async () => {
    seed(principal(1), MARKER);
    seed(principal(2), 'Granted by hand');
    seed(principal(3), undefined);
    const { sweeper } = setUp({ scopes: [SUBSCRIPTION, RG] });
    const { claims, notes } = await sweeper.read(Date.now());
    expect(claims.map((c) => c.ids.principalId)).toEqual([principal(1)]);
    // The seeded User Access Administrator assignment of the app at the subscription is unmarked too.
    expect(notes.join('\n')).toContain('4 assignment(s) seen: 1 with a run marker, 3 without one');
    expect(notes[0]).toContain('2 scope(s)');
  });

  it('takes no marker that is not exactly one at the end of the description', async () => {
    const hostile = [
      `${MARKER} and then some`,
      `${MARKER} `,
      `${MARKER}\n`,
      '[cloud-access:octo-org/octo-repo:run:123:2]',
      '[cloud-access:octo-org/octo-repo:run:0123:2:e]',
      '[cloud-access:octo-org/octo-repo:run:123:2:ex]',
      '[cloud-access:octo-org/octo-repo:123:2:e]',
      '[cloud-access:octo-org:run:123:2:e]',
      '(cloud-access:octo-org/octo-repo:run:123:2:e)',
      `[cloud-access:octo-org/octo-repo\u202e:run:123:2:e]`,
    ];
    hostile.forEach((d, i) => seed(principal(i + 1), d));
    const { claims, notes } = await setUp().sweeper.read(Date.now());
    expect(claims).toEqual([]);
    expect(notes.join('\n')).toContain(`${hostile.length} without one`);
  });

  it("fails, saying to set `created-by`, when the sweep's token names no object ID", async () => {
    const noOid: TokenCredential = {
      getToken: async () => ({ token: 'x.e30.y', expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
    await expect(setUp({}, noOid).sweeper.read(Date.now())).rejects.toMatchObject({
      message: expect.stringContaining('`created-by` is not set'),
      fix: expect.stringContaining('set `created-by`'),
    });
  });
});

describe('revoker', () => {
  it('deletes exactly the claimed assignment, by its scope and name, and follows it to its end', async () => {
    const claimed = seed(principal(1), MARKER);
    const other = seed(principal(2), MARKER, OTHER);
    const unmarked = seed(principal(3), 'Granted by hand');
    const { sweeper, deadline } = setUp();
    const { claims } = await sweeper.read(Date.now());
    const holding = claims.filter((c) => c.standing.holds);
    expect(holding.map((c) => c.ids.principalId)).toEqual([principal(1)]);
    const before = arm.requests().length;
    const { results } = await revokeSwept(
      holding.map((claim) => ({ claim, kind: 'revoke' as const, reason: 'its run has completed' })),
      sweeper,
      { dryRun: false, maxConcurrency: 4, deadline },
    );
    expect([...results.values()]).toMatchObject([
      { status: 'SUCCEEDED', changed: true, principal: `user ${principal(1)}` },
    ]);
    // Read again by name in its own turn, deleted, then followed: read back until a read shows it gone.
    expect(arm.requests().slice(before)).toEqual([
      `GET ${claimed.id}`,
      `DELETE ${claimed.id}`,
      `GET ${claimed.id}`,
    ]);
    const left = arm.az.state.assignments.filter((a) => a.deletedAt === undefined).map((a) => a.name);
    expect(left).toEqual(expect.arrayContaining([other.name, unmarked.name]));
    expect(left).not.toContain(claimed.name);
  });

  it('gives one grant per claim, carrying its IDs', () => {
    const { sweeper } = setUp();
    const ids = {
      cloud: 'azure' as const,
      principalId: principal(1),
      scope: RG,
      roleId: `${ROLE_DEFINITIONS}${ROLE_GUIDS.Reader}`,
      name: '00000000-aaaa-4bbb-8ccc-000000000001',
    };
    const claim = {
      ids,
      shown: { principal: principal(1), role: ids.roleId, target: SCOPE },
      madeBy: OBJECT_ID,
      madeAt: 0,
      evidence: '',
      standing: { holds: true as const },
    };
    const { grants } = sweeper.revoker([claim]);
    expect(grants).toEqual([expect.objectContaining({ cloud: 'azure', scope: RG, resolved: ids })]);
  });
});
