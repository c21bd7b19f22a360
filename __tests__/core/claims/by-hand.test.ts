// The command a stuck grant's warning gives to remove it by hand (core/claims/by-hand.ts): copied
// into a shell, it deletes that grant and nothing else, however hostile the names ARM or
// CloudTrail handed the sweep. Each argument reaches the command as the one word it is.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { removalCommand, removalParts } from '../../../src/core/claims/by-hand.js';
import type { Claim } from '../../../src/core/claims/claims.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const ROLE = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;

const azureClaim = (scope: string, name?: string): Claim => ({
  ids: {
    cloud: 'azure',
    principalId: '11111111-1111-1111-1111-111111111111',
    roleId: ROLE,
    scope: { scope, kind: 'resource', subscriptionId: SUB },
    ...(name ? { name } : {}),
  },
  shown: { principal: 'p', target: scope, role: 'Reader' },
  madeBy: 'x',
  madeAt: 0,
  evidence: 'e',
  standing: { holds: true },
});

/** The words a POSIX shell makes of the command, its program replaced by one that prints them. */
function wordsOf(command: string, program: string): string[] {
  expect(command.startsWith(`${program} `)).toBe(true);
  const printed = execFileSync('sh', ['-c', `printf '%s\\n' ${command.slice(program.length + 1)}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  return printed.split('\n').slice(0, -1);
}

describe('the removal command a stuck grant’s warning shows', () => {
  // ARM scopes under a resource take any character but `/ ? #`, spaces and control characters.
  const hostile = ['$(id)', '`id`', "it's", 'a;id', 'a|id&', '${IFS}x', 'rg(1)', '"q"', '*'];
  for (const resource of hostile) {
    const scope = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/${resource}`;
    it(`passes the scope ${resource} to the shell as one literal word, by name and without one`, () => {
      const name = '22222222-2222-2222-2222-222222222222';
      const byName = wordsOf(removalCommand(azureClaim(scope, name)), 'az role assignment delete');
      expect(byName).toEqual(['--ids', `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`]);
      const byParts = wordsOf(removalCommand(azureClaim(scope)), 'az role assignment delete');
      expect(byParts).toEqual([
        '--assignee',
        '11111111-1111-1111-1111-111111111111',
        '--role',
        ROLE,
        '--scope',
        scope,
      ]);
    });
  }

  it('an AWS grant: its validated IDs, each one word, the instance and Region too', () => {
    const claim: Claim = {
      ids: {
        cloud: 'aws',
        principalId: '9067447c0f-dabd1db8-0000-0000-0000-000000000001',
        principalType: 'USER',
        roleId: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef',
        accountId: '111111111111',
      },
      shown: { principal: 'p', target: '111111111111', role: 'ps' },
      madeBy: 'x',
      madeAt: 0,
      evidence: 'e',
      standing: { holds: true },
    };
    const command = removalCommand(claim, {
      instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
      region: 'eu-west-1',
    });
    expect(wordsOf(command, 'aws sso-admin delete-account-assignment')).toEqual([
      '--instance-arn',
      'arn:aws:sso:::instance/ssoins-1234567890abcdef',
      '--target-type',
      'AWS_ACCOUNT',
      '--target-id',
      '111111111111',
      '--permission-set-arn',
      'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef',
      '--principal-type',
      'USER',
      '--principal-id',
      '9067447c0f-dabd1db8-0000-0000-0000-000000000001',
      '--region',
      'eu-west-1',
    ]);
  });

  it("builds a claim's parts and a saved grant's alike: the IDs, the type handed in, an Azure grant's name", () => {
    const aws = {
      cloud: 'aws' as const,
      principalId: '9067447c0f-dabd1db8-0000-0000-0000-000000000001',
      roleId: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef',
      accountId: '111111111111',
    };
    // A post step's saved IDs carry no type: its settings do, and it is handed in.
    expect(removalParts(aws, 'GROUP')).toEqual({
      principalId: aws.principalId,
      principalType: 'GROUP',
      roleId: aws.roleId,
      targetId: '111111111111',
      name: undefined,
    });
    const { ids: azure } = azureClaim(`/subscriptions/${SUB}`, '22222222-2222-2222-2222-222222222222');
    if (azure.cloud !== 'azure') throw new Error('an Azure claim');
    expect(removalParts(azure)).toEqual({
      principalId: azure.principalId,
      principalType: undefined,
      roleId: ROLE,
      targetId: `/subscriptions/${SUB}`,
      name: '22222222-2222-2222-2222-222222222222',
    });
    // An empty name is none: the command then names the assignment by principal, role and scope.
    expect(removalParts({ ...azure, name: '' }).name).toBeUndefined();
  });
});
