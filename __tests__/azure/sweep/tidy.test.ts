// What the Azure sweep writes back on a grant it leaves while a run still relies on it: the
// description without the reliance markers of the runs that have ended, and nothing else changed.
import { describe, expect, it } from '@jest/globals';
import type { RoleAssignment } from '@azure/arm-authorization';
import type { ArmSession } from '../../../src/azure/arm/session.js';
import { tidyLeftGrants, withoutEndedReliers } from '../../../src/azure/sweep/tidy.js';

const REPO = 'octo-org/octo-repo';
const marker = (run: string, kind: string, attempt = '1') =>
  `[cloud-access:${REPO}:run:${run}:${attempt}:${kind}]`;
const ended = (runId: string, attempt = '1', expiresAt?: number) => ({
  run: { repository: REPO, runId, attempt },
  ephemeral: true,
  ...(expiresAt !== undefined ? { expiresAt } : {}),
});

describe('withoutEndedReliers: the markers of ended reliers go, all else stays', () => {
  it('keeps the user’s text, the creator’s marker and the live reliers’ markers, in order', () => {
    const description = `deploy api ${marker('1', 'e')} ${marker('2', 'r')} ${marker('3', 'r')} ${marker('4', 'r1900000000')}`;
    expect(withoutEndedReliers(description, [ended('2'), ended('4', '1', 1900000000)])).toEqual({
      description: `deploy api ${marker('1', 'e')} ${marker('3', 'r')}`,
      removed: 2,
    });
  });

  it('never removes the creating run’s marker, though its run has ended', () => {
    const description = `${marker('1', 'e')} ${marker('1', 'r', '2')}`;
    expect(withoutEndedReliers(description, [ended('1'), ended('1', '2')])).toEqual({
      description: marker('1', 'e'),
      removed: 1,
    });
  });

  it('removes only the attempt and expiry that ended: another attempt of the run, or another expiry, stays', () => {
    const description = `${marker('1', 'e')} ${marker('2', 'r')} ${marker('2', 'r', '2')} ${marker('2', 'r1900000000')}`;
    expect(withoutEndedReliers(description, [ended('2')])).toEqual({
      description: `${marker('1', 'e')} ${marker('2', 'r', '2')} ${marker('2', 'r1900000000')}`,
      removed: 1,
    });
  });
});

describe('tidyLeftGrants: a write only where the next reliers need the room', () => {
  const OWN = '99999999-9999-9999-9999-999999999999';
  const NAME = '22222222-2222-2222-2222-222222222222';
  const claim = {
    ids: {
      cloud: 'azure' as const,
      principalId: '11111111-1111-1111-1111-111111111111',
      roleId: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
      scope: { scope: '/subscriptions/00000000-0000-0000-0000-000000000001', kind: 'subscription' as const },
      name: NAME,
    },
    shown: { principal: 'p', target: 't', role: 'Reader' },
    madeBy: OWN,
    madeAt: 0,
    evidence: 'e',
    standing: { holds: true as const },
  };
  const entry = {
    claim,
    kind: 'running' as const,
    reason: 'run 1 is still going',
    endedReliers: [ended('2')],
  };

  /**
   * ARM as the sweep meets it: the assignment read again, and a relying job whose write lands (and
   * reads back) between that read and the sweep's own PUT (ARM takes no ETag: the last write stays).
   */
  function armWithRelierMeanwhile(description: string) {
    const stored = { description };
    const relier = ` ${marker('3', 'r')}`;
    const session = {
      objectId: OWN,
      send: async (
        _op: string,
        _scope: unknown,
        call: (client: unknown, signal: undefined) => Promise<unknown>,
      ) =>
        call(
          {
            roleAssignments: {
              create: async (_s: string, _n: string, body: { description: string }) => {
                stored.description = body.description;
                return {};
              },
            },
          },
          undefined,
        ),
    } as unknown as ArmSession;
    const readAgain = async () => {
      const found = { name: NAME, description: stored.description } as RoleAssignment;
      // The relier reads, appends, writes and reads its marker back before the sweep's PUT.
      stored.description += relier;
      return { found };
    };
    return { stored, relier, session, readAgain };
  }

  it('leaves a description with room for the next reliers as it is, so a relier registering meanwhile is never written over', async () => {
    const arm = armWithRelierMeanwhile(`deploy ${marker('1', 'e')} ${marker('2', 'r')}`);
    const { tidied } = await tidyLeftGrants(arm.session, [entry], {
      dryRun: false,
      readAgain: arm.readAgain,
    });
    expect(arm.stored.description.endsWith(arm.relier)).toBe(true);
    expect(tidied.get(claim)).toMatch(/are kept: .*room/);
  });

  it('writes a description filling up without the ended runs’ markers', async () => {
    const text = 'deploy '.padEnd(1500, 'x');
    const arm = armWithRelierMeanwhile(`${text} ${marker('1', 'e')} ${marker('2', 'r')}`);
    const { tidied } = await tidyLeftGrants(arm.session, [entry], {
      dryRun: false,
      readAgain: arm.readAgain,
    });
    expect(tidied.get(claim)).toMatch(/were removed from its description/);
    expect(arm.stored.description).toBe(`${text} ${marker('1', 'e')}`);
  });

  it('writes no description when the audit log refuses the first record, and says so in its reason', async () => {
    const text = 'deploy '.padEnd(1500, 'x');
    const before = `${text} ${marker('1', 'e')} ${marker('2', 'r')}`;
    const arm = armWithRelierMeanwhile(before);
    const { tidied } = await tidyLeftGrants(arm.session, [entry], {
      dryRun: false,
      readAgain: arm.readAgain,
      beforeWrite: () => Promise.reject(new Error("audit-log: the step's first record could not be written")),
    });
    expect(arm.stored.description).toBe(`${before}${arm.relier}`);
    expect(tidied.get(claim)).toMatch(/are kept: .*audit-log/);
  });
});
