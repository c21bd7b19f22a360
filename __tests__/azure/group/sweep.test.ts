// A sweep of `group:` targets against the emulated Entra and Graph (PIM for groups), through the
// real credential: an ephemeral membership a run of `created-by` made is ended once its claim has
// ended (its duration passed, or its run ended) and left while its run goes; one made by anyone
// else is not the sweep's; one whose request Graph no longer returns is left, and said; a dry run
// sends nothing.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { runTicket, type GroupMembershipWrite, groupPimOf } from '../../../src/azure/graph/group-pim.js';
import { sweepGroups } from '../../../src/azure/group/sweep.js';
import { runKeyOf, type RunState } from '../../../src/core/claims/claims.js';
import {
  emulatedArm,
  OBJECT_ID,
  PRINCIPAL,
  SCOPE,
  GROUP_PIM_GRAPH_ROLES,
} from '../../harness/emulated-arm.js';
import { signedInSession } from '../../harness/arm-driver.js';
import { AzureSweeper } from '../../../src/azure/sweeper.js';
import type { ConfigOf } from '../../../src/core/inputs/index.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { runSweep } from '../../../src/operations/sweep/index.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';

const arm = emulatedArm();
const REPOSITORY = 'octo-org/octo-repo';
const OTHER = '99999999-9999-4999-8999-999999999999';

let group: string;
const users: string[] = [];
beforeEach(() => {
  arm.az.config.graphRoles = [...GROUP_PIM_GRAPH_ROLES];
  group = arm.az.addGroup({ displayName: `swept-${Math.random()}` }).id;
  arm.az.setGroupPimPolicy({ assignmentExpirationRequired: false }, { groupId: group });
  users.length = 0;
  for (let i = 0; i < 4; i++)
    users.push(arm.az.addUser({ userPrincipalName: `u${i}-${Math.random()}@contoso.com` }).id);
});

const directory = () =>
  signedInSession(arm, arm.plan({ principal: PRINCIPAL, target: SCOPE, role: 'Reader' })).session.directory;

async function member(principalId: string, justification: string) {
  const pim = groupPimOf(directory());
  const write: GroupMembershipWrite = {
    action: 'adminAssign',
    kind: 'active',
    groupId: group,
    principalId,
    access: 'member',
    justification,
    ticket: runTicket('https://github.com/octo-org/octo-repo/actions/runs/1'),
  };
  await pim.follow(await pim.write(write), 'adminAssign');
}
const marker = (run: string, suffix = '') => `Granted [cloud-access:${REPOSITORY}:run:${run}:1:e${suffix}]`;
const membersNow = () =>
  arm.az
    .groupPim()
    .instances.filter((i) => i.groupId === group)
    .map((i) => i.principalId as string);
const runs = new Map<string, RunState>([
  [
    runKeyOf({ repository: REPOSITORY, runId: '42', attempt: '1' }),
    { state: 'going', status: 'in_progress' },
  ],
  [
    runKeyOf({ repository: REPOSITORY, runId: '43', attempt: '1' }),
    { state: 'completed', conclusion: 'success' },
  ],
]);
const sweep = (createdBy: string = OBJECT_ID, dryRun = false) =>
  sweepGroups(directory(), [{ kind: 'object', id: group, bare: true }], {
    judge: { createdBy: new Set([createdBy]), shown: createdBy, repository: REPOSITORY },
    readRuns: async () => runs,
    now: Date.now(),
    dryRun,
  });

describe('a sweep of group: targets', () => {
  it('ends the memberships whose claim has ended, and leaves the one whose run goes and the one no run made', async () => {
    const [going, ended, expired, byHand] = users as [string, string, string, string];
    await member(going, marker('42'));
    await member(ended, marker('43'));
    await member(expired, marker('42', String(Math.floor(Date.now() / 1000) - 60)));
    await member(byHand, 'added by hand');
    const swept = await sweep();
    expect(swept.failed).toBeUndefined();
    expect(membersNow().sort()).toEqual([going, byHand].sort());
    expect(swept.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ principal: ended, status: 'SUCCEEDED', change: 'delete', changed: true }),
        expect.objectContaining({ principal: expired, status: 'SUCCEEDED', change: 'delete', changed: true }),
      ]),
    );
    expect(swept.results).toHaveLength(2);
    expect(swept.lines).toContainEqual(expect.stringMatching(new RegExp(`^left: ${going} `)));
    expect(arm.az.groupPim().requests.filter((r) => r.action === 'adminRemove')).toHaveLength(2);
  });

  it('leaves what another identity made, and in a dry run sends nothing', async () => {
    const [ended] = users as [string];
    await member(ended, marker('43'));
    expect((await sweep(OTHER)).results).toEqual([]);
    const dry = await sweep(OBJECT_ID, true);
    expect(dry.lines).toContainEqual(expect.stringMatching(/^would end: /));
    expect(membersNow()).toEqual([ended]);
    expect(arm.az.groupPim().requests.filter((r) => r.action === 'adminRemove')).toEqual([]);
  });

  it('leaves a membership whose request Graph no longer returns, and says so', async () => {
    const [ended] = users as [string];
    await member(ended, marker('43'));
    const store = arm.az.state.groupPim;
    store.requests.splice(0, store.requests.length, ...store.requests.filter((r) => r.groupId !== group));
    const swept = await sweep();
    expect(swept.results).toEqual([]);
    expect(swept.lines).toContainEqual(
      expect.stringMatching(/^left: .*no longer returns the request.*not proven/),
    );
    expect(membersNow()).toEqual([ended]);
  });
});

describe('a sweep step: memberships ended count toward `max-deletions`', () => {
  /** The sweep step over the Azure sweeper of the group, as `operation: sweep` runs it. */
  async function sweepStep(maxDeletions: number) {
    const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: 'Reader' });
    const { session } = signedInSession(arm, plan);
    const request = {
      createdBy: [OBJECT_ID],
      githubToken: 'unused',
      lookbackSeconds: 0,
      maxDeletions,
      failOnStuck: true,
      scopes: [],
      groups: [{ kind: 'object' as const, id: group, bare: true as const }],
    };
    const sweeper = new AzureSweeper(plan, request, session, async () => runs);
    const config = {
      ...plan,
      operation: 'sweep',
      dryRun: false,
      sweep: request,
    } as unknown as ConfigOf<'sweep'>;
    const recorded = recordedRunner();
    await runSweep(
      config,
      onEvent(recorded.effects, { eventName: 'schedule', tokenEndpoint: 'https://token.example' }),
      {
        open: async () => ({
          sweeper,
          deadline: new Deadline(60),
          readRuns: async (wanted) => ({ states: new Map(), requests: wanted.length }),
        }),
      },
      Date.now,
    );
    return recorded;
  }
  const removals = () => arm.az.groupPim().requests.filter((r) => r.action === 'adminRemove');

  it('stops before any end when more memberships would end than `max-deletions`, naming the input', async () => {
    const [a, b] = users as [string, string];
    await member(a, marker('43'));
    await member(b, marker('43'));
    const step = await sweepStep(1);
    expect(step.outputs.status).toBe('FAILED');
    expect(step.said.failed.join('\n')).toMatch(/would revoke 2 grant\(s\).*more than `max-deletions` \(1\)/);
    expect(step.said.log).toContainEqual(expect.stringMatching(/^would end: /));
    expect(removals()).toEqual([]);
    expect(membersNow().sort()).toEqual([a, b].sort());
  });

  it('ends them when `max-deletions` allows them all', async () => {
    const [a, b] = users as [string, string];
    await member(a, marker('43'));
    await member(b, marker('43'));
    const step = await sweepStep(2);
    expect(step.said.failed).toEqual([]);
    expect(removals()).toHaveLength(2);
    expect(membersNow()).toEqual([]);
  });
});
