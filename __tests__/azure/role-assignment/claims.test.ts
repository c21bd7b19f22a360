// A reconcile's plan over assignments the manifest does not list, under a scope it manages in full,
// on the emulated Entra and ARM through the real credential and @azure/arm-authorization client: a
// live, proven claim (a run's marker by `created-by`, a PIM schedule with an end) leaves the
// assignment in place (`claimed`); a marker written by hand, or an ended claim, is drift, as before.
import { describe, expect, it } from '@jest/globals';
import { ROLE_GUIDS } from '../../../emulator/azure/tenant/roles.js';
import { AzureReconciler } from '../../../src/azure/reconcile.js';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';
import { runKeyOf, type ReadRuns, type RunRef, type RunState } from '../../../src/core/claims/claims.js';
import type { AzureManifestSection } from '../../../src/core/manifest/types.js';
import { readForPlan, type ReadForPlan } from '../../../src/operations/reconcile/reconcile-read.js';
import { signedInSession } from '../../harness/arm-driver.js';
import { emulatedArm, OBJECT_ID, PRINCIPAL, SCOPE } from '../../harness/emulated-arm.js';

const arm = emulatedArm();

const RG = parseAzureScope(SCOPE) as AzureScope;
const MARKER = 'cloud-access:octo-org/octo-repo:access/prod.yml';
const SOMEONE = '99999999-9999-4999-8999-999999999999';
const HOUR = 3_600_000;

const section: AzureManifestSection = {
  cloud: 'azure',
  line: 1,
  manages: {
    line: 2,
    scopes: [{ written: RG.scope, value: RG, line: 3 }],
    mode: 'full',
    exceptions: [],
    allowDeleteAll: true,
    groups: [],
  },
  assignments: [],
  groups: [],
};

const run = (runId: string): RunRef => ({ repository: 'octo-org/octo-repo', runId, attempt: '1' });

/** The plan of a manifest that lists nothing under the scope it manages in full, with these runs' states. */
async function planWith(states: [RunRef, RunState][] = []): Promise<ReadForPlan> {
  const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: 'Reader' });
  const { session } = signedInSession(arm, plan);
  // `created-by` unset: the reconcile's own identity (OBJECT_ID), as the sweep's default.
  const reconciler = new AzureReconciler(plan, section, session, MARKER, { createdBy: [] });
  const known = new Map(states.map(([r, s]) => [runKeyOf(r), s]));
  const readRuns: ReadRuns = async (runs) => ({
    states: new Map(
      runs.map((r) => [
        runKeyOf(r),
        known.get(runKeyOf(r)) ?? { state: 'unreadable', reason: 'no such run' },
      ]),
    ),
    requests: runs.length,
  });
  const read = await readForPlan(reconciler, { cloud: 'azure', line: 1 }, Date.now, readRuns);
  if ('stoppedAt' in read) throw new Error(JSON.stringify(read.problems));
  return read;
}

/** The signed-in step's ephemeral assignment, marked by run 55 and written by `by`. */
const marked = (by: string, updatedBy = by) =>
  arm.add('11111111-aaaa-4aaa-8aaa-111111111111', ROLE_GUIDS.Reader, SCOPE, {
    by,
    updatedBy,
    on: new Date(Date.now() - HOUR),
    description: 'Granted by cloud-access [cloud-access:octo-org/octo-repo:run:55:1:e]',
  });

describe('a run’s ephemeral assignment (`:e` marker) under a scope managed in full', () => {
  it('is claimed while its run goes, made and last written by `created-by`', async () => {
    marked(OBJECT_ID);
    const { plan } = await planWith([[run('55'), { state: 'going', status: 'in_progress' }]]);
    expect(plan.deletes).toEqual([]);
    expect(plan.claimed).toEqual([
      expect.objectContaining({
        principalId: PRINCIPAL,
        claim: expect.objectContaining({ kind: 'ephemeral', run: run('55') }),
      }),
    ]);
  });

  it('is deleted once its run has completed', async () => {
    marked(OBJECT_ID);
    const { plan } = await planWith([[run('55'), { state: 'completed', conclusion: 'success' }]]);
    expect(plan.claimed).toEqual([]);
    expect(plan.deletes.map((d) => d.principalId)).toEqual([PRINCIPAL]);
  });

  it('with a marker written by hand (another identity’s assignment) is drift: deleted, saying why', async () => {
    marked(SOMEONE);
    const { plan } = await planWith([[run('55'), { state: 'going', status: 'in_progress' }]]);
    expect(plan.claimed).toEqual([]);
    expect(plan.deletes.map((d) => d.principalId)).toEqual([PRINCIPAL]);
    expect(plan.deletes.map((d) => d.claimNote)).toContainEqual(
      expect.stringMatching(/claim not honoured: .*a marker copied by hand proves nothing/),
    );
  });
});

describe('a run’s `:e` assignment made by an identity `created-by` does not name (a request’s or a deploy job’s)', () => {
  it('is deleted, saying beside the delete whose session made it and what to add', async () => {
    marked(SOMEONE);
    const { plan } = await planWith([[run('55'), { state: 'going', status: 'in_progress' }]]);
    expect(plan.deletes.map((d) => d.claimNote)).toEqual([
      expect.stringContaining(
        `made by a job session of identity ${SOMEONE}, which \`created-by\` does not trust: add ${SOMEONE} to keep such grants while their claims live`,
      ),
    ]);
  });
});

describe('an unknown is never a delete: a proven `:e` assignment whose run GitHub cannot tell now', () => {
  it('GitHub’s rate limit reached: left in place, listed unknown with why', async () => {
    marked(OBJECT_ID);
    const limited: RunState = {
      state: 'unreadable',
      reason: 'GitHub’s API rate limit (1000 requests an hour for this token) was reached',
      transient: true,
    };
    const { plan } = await planWith([[run('55'), limited]]);
    expect(plan.deletes).toEqual([]);
    expect(plan.unknown).toEqual([
      expect.objectContaining({
        principalId: PRINCIPAL,
        unknown: {
          reason: expect.stringMatching(/run 55 attempt 1 could not be read: GitHub’s API rate limit/),
          made: expect.objectContaining({ kind: 'ephemeral', run: run('55') }),
        },
      }),
    ]);
    expect(plan.deletes).toEqual([]);
  });

  it('a run GitHub answers 404 for: unproven, deleted as drift', async () => {
    marked(OBJECT_ID);
    const { plan } = await planWith([
      [run('55'), { state: 'unreadable', reason: 'GitHub answered 404', notFound: true }],
    ]);
    expect(plan.unknown).toEqual([]);
    expect(plan.deletes.map((d) => d.principalId)).toEqual([PRINCIPAL]);
  });
});

describe('a running job’s reliance (`:r` marker) on an assignment it found in place', () => {
  /** A person's assignment, whose description a step of run 66 (`created-by`) appended its reliance to. */
  const relied = (updatedBy: string) =>
    arm.add('11111111-aaaa-4aaa-8aaa-111111111111', ROLE_GUIDS.Reader, SCOPE, {
      by: SOMEONE,
      updatedBy,
      on: new Date(Date.now() - HOUR),
      description: 'Made by hand [cloud-access:octo-org/octo-repo:run:66:1:r]',
    });

  it('keeps the assignment while its run goes, though a person made it, and not once its run has finished', async () => {
    relied(OBJECT_ID);
    const live = await planWith([[run('66'), { state: 'going', status: 'in_progress' }]]);
    expect(live.plan.deletes).toEqual([]);
    expect(live.plan.claimed).toEqual([
      expect.objectContaining({ claim: expect.objectContaining({ kind: 'ephemeral', run: run('66') }) }),
    ]);
    const ended = await planWith([[run('66'), { state: 'completed', conclusion: 'success' }]]);
    expect(ended.plan.claimed).toEqual([]);
    expect(ended.plan.deletes.map((d) => d.principalId)).toEqual([PRINCIPAL]);
  });

  it('written by an identity not in `created-by` is drift', async () => {
    relied(SOMEONE);
    const { plan } = await planWith([[run('66'), { state: 'going', status: 'in_progress' }]]);
    expect(plan.claimed).toEqual([]);
    expect(plan.deletes.map((d) => d.principalId)).toEqual([PRINCIPAL]);
  });
});

describe('a PIM schedule with an end under a scope managed in full (a request’s, a `duration` step’s)', () => {
  const schedule = (endMs: number, requestorId: string = OBJECT_ID) =>
    arm.az.addRoleAssignmentSchedule({
      scope: SCOPE,
      roleDefinitionId: ROLE_GUIDS.Reader,
      principalId: PRINCIPAL,
      startMs: Date.now() - 60_000,
      endMs,
      requestorId,
    });

  it('is claimed until its end, time-bound', async () => {
    const end = Date.now() + HOUR;
    schedule(end);
    const { plan } = await planWith();
    expect(plan.deletes).toEqual([]);
    expect(plan.claimed).toEqual([
      expect.objectContaining({
        claim: expect.objectContaining({ kind: 'time-bound', until: end, by: OBJECT_ID }),
      }),
    ]);
  });

  it('made by an identity not in `created-by` is drift', async () => {
    schedule(Date.now() + HOUR, SOMEONE);
    const { plan } = await planWith();
    expect(plan.claimed).toEqual([]);
    expect(plan.deletes.map((d) => d.principalId)).toEqual([PRINCIPAL]);
  });
});

describe('what it costs', () => {
  it('reads no PIM schedule when the plan deletes nothing', async () => {
    await planWith();
    expect(arm.requests().filter((r) => /roleAssignmentScheduleInstances/i.test(r))).toEqual([]);
  });
});
