// `target: group:<display name or object ID>`: memberships of Entra groups through PIM for groups,
// `role: member | owner`, `pim-onboard`; what cannot go with them is refused before any network
// call, naming the input and the fix; the post step's settings say the grants are memberships.
import { describe, expect, it } from '@jest/globals';
import { parseInputs, type AzureConfig } from '../../../src/core/inputs/index.js';
import { adapterSettingsOf } from '../../../src/core/inputs/settings.js';
import { requestedGrant } from '../../../src/core/inputs/request-grant.js';
import { settingsKindOf } from '../../../src/core/kinds/index.js';
import { parseSettings, settingsOf } from '../../../src/core/state/saved-settings.js';
import { inputProblems, reader } from '../../harness/input-problems.js';

const PRINCIPAL = '11111111-2222-3333-4444-555555555555';
const GROUP = '99999999-0000-4000-8000-00000000000A';
const azure = { cloud: 'azure', principal: PRINCIPAL, target: 'group:platform-admins', role: 'member' };
const run = { repository: 'octo/app', repositoryId: '123456', runId: '42', runAttempt: '1' };

const problemsOf = (inputs: Record<string, string>) => inputProblems(inputs, {}, run);
const configOf = (inputs: Record<string, string>) => parseInputs(reader(inputs), {}, run) as AzureConfig;

describe('a group target', () => {
  it('makes one membership grant per principal, group and role, by display name or object ID', () => {
    const config = configOf({
      ...azure,
      target: `group:platform-admins\ngroup:${GROUP}`,
      role: 'member\nOwner',
    });
    expect(config.grants).toEqual([
      expect.objectContaining({
        kind: 'azure-group-active',
        group: { kind: 'name', name: 'platform-admins' },
        access: 'member',
      }),
      expect.objectContaining({ group: { kind: 'name', name: 'platform-admins' }, access: 'owner' }),
      expect.objectContaining({ group: { kind: 'id', id: GROUP.toLowerCase() }, access: 'member' }),
      expect.objectContaining({ group: { kind: 'id', id: GROUP.toLowerCase() }, access: 'owner' }),
    ]);
    expect(config.groups).toEqual({
      pimOnboard: false,
      mark: { repository: 'octo/app', runId: '42', attempt: '1', ephemeral: false },
      runUrl: 'https://github.com/octo/app/actions/runs/42',
    });
  });

  it('is an eligible membership with assignment-type: eligible, and an ephemeral one with revoke-on-exit', () => {
    const config = configOf({
      ...azure,
      'assignment-type': 'eligible',
      duration: 'P30D',
      'revoke-on-exit': 'true',
    });
    expect(config.grants[0]!.kind).toBe('azure-group-eligible');
    expect(config.groups?.mark?.ephemeral).toBe(true);
    // The run's marker goes into each request's justification, not into the description.
    expect(config.description).not.toContain('[cloud-access:');
  });

  it('takes pim-onboard: true', () => {
    expect(configOf({ ...azure, 'pim-onboard': 'true' }).groups?.pimOnboard).toBe(true);
  });
});

describe('refused before any network call, naming the input and the fix', () => {
  it('a role other than member or owner', () => {
    expect(problemsOf({ ...azure, role: 'Reader' })).toEqual([
      expect.stringMatching(
        /^input `role`: `Reader` is not a role of a group membership: .*`member` or `owner`.*set `role: member`/,
      ),
    ]);
  });

  it('a group target beside a scope', () => {
    expect(
      problemsOf({ ...azure, target: 'group:admins\n/subscriptions/00000000-0000-0000-0000-000000000001' }),
    ).toEqual([
      expect.stringMatching(/^input `target`: .* is not a group, .*split the targets over two steps/),
    ]);
  });

  it('a group target that names no group', () => {
    expect(problemsOf({ ...azure, target: 'group:' })).toEqual([
      expect.stringMatching(/^input `target`: `group:` is not a group: it names no group/),
    ]);
  });

  it('revoke-on-exit with an eligible membership and no duration', () => {
    expect(problemsOf({ ...azure, 'assignment-type': 'eligible', 'revoke-on-exit': 'true' })).toEqual([
      expect.stringMatching(
        /^input `revoke-on-exit`: with `assignment-type: eligible` needs `duration`.*set `duration`/,
      ),
    ]);
  });

  it('the inputs only a role assignment has', () => {
    expect(problemsOf({ ...azure, 'assignment-name': '00000000-0000-0000-0000-00000000000b' })).toEqual([
      expect.stringMatching(/^input `assignment-name`: cannot be used with `target: group:…`/),
    ]);
  });

  it('pim-onboard without a group target, and on an operation that onboards nothing', () => {
    const scope = { ...azure, target: '/subscriptions/00000000-0000-0000-0000-000000000001', role: 'Reader' };
    expect(problemsOf({ ...scope, 'pim-onboard': 'true' })).toEqual([
      expect.stringMatching(/^input `pim-onboard`: applies to `target: group:…` only/),
    ]);
    expect(problemsOf({ ...azure, operation: 'revoke', 'pim-onboard': 'true' })).toEqual([
      expect.stringMatching(/^input `pim-onboard`: is not read by `operation: revoke`/),
    ]);
  });
});

describe('a request for a group', () => {
  const asked = {
    cloud: 'azure',
    operation: 'request',
    rule: 'oncall',
    duration: '1h',
    'github-token': 'ghs_x',
    target: 'group:platform-admins',
    role: 'member',
  };

  it('asks for a group and a role within its rule, as an assign names them', () => {
    expect(problemsOf(asked)).toEqual([]);
    expect(problemsOf({ ...asked, role: 'Reader' })).toEqual([
      expect.stringMatching(/^input `role`: `Reader` is not a role of a group membership/),
    ]);
  });

  it('never onboards a group: pim-onboard is refused', () => {
    expect(problemsOf({ ...asked, 'pim-onboard': 'true' })).toEqual([
      expect.stringMatching(/^input `pim-onboard`: is not an input of `operation: request`/),
    ]);
  });

  it("is granted as memberships of the rule's groups, with the run's marker, onboarding nothing", () => {
    const config = parseInputs(reader(asked), {}, run);
    if (config.operation !== 'request') throw new Error('expected a request');
    const grant = requestedGrant(
      config,
      { principalType: 'User', principals: [PRINCIPAL], targets: [`group:${GROUP}`], roles: ['owner'] },
      Date.now,
    ) as AzureConfig;
    expect(grant.grants).toEqual([
      expect.objectContaining({
        kind: 'azure-group-active',
        group: { kind: 'id', id: GROUP.toLowerCase() },
        access: 'owner',
      }),
    ]);
    expect(grant.groups).toEqual({
      pimOnboard: false,
      mark: { repository: 'octo/app', runId: '42', attempt: '1', ephemeral: false },
      runUrl: 'https://github.com/octo/app/actions/runs/42',
    });
  });
});

describe('the post step', () => {
  it('is told its grants are memberships, removed through Graph, onboarding nothing', () => {
    const config = configOf({ ...azure, 'revoke-on-exit': 'true' });
    const saved = parseSettings(JSON.parse(JSON.stringify(settingsOf(config))));
    expect(typeof saved).toBe('object');
    if (typeof saved === 'string') return;
    expect(settingsKindOf(saved.settings)).toBe('azure-group-active');
    expect(saved.signIn).toMatchObject({
      groups: { pimOnboard: false },
      graphEndpoint: config.graphEndpoint,
      graphTokenScope: config.graphTokenScope,
    });
    expect(adapterSettingsOf(config)).toMatchObject({ groups: config.groups });
  });
});
