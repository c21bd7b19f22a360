// Writing a reconcile's plan as one write plan of the engine (engine/calls/write-plan.ts): the
// creates, the updates (an Azure condition rewritten in place) and the deletes, of whatever kinds
// they are, and the writes of a kind's plan beside them (AWS: the permission sets the section
// defines; Azure: its memberships of PIM for groups), whose kind declares its own order to the
// assignments' writes. What a reconcile adds is what its writes
// need of each other: the old half of a change of role needs the create at its place (principal
// and target), so no principal is ever left with neither assignment; and when the deletes would
// leave the section managing nothing but for the creates (./reconcile-plan.ts,
// deletesAwaitCreate), no delete starts before a managed create has ended SUCCEEDED, and none
// runs when none has. The engine runs it all under the step's one `max-concurrency`.
import type { AppliedPlan } from './reconcile-ending.js';
import { placeOfPrincipal, type ReconcilePlan } from '../../core/plan/assignment-diff.js';
import { KINDS, type KindName } from '../../core/kinds/index.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { KindWriter, PlannedWriteOf, WriteNeeds } from '../../engine/calls/write-plan.js';
import { ownDriver, type PlannedWrite, type PlannedWrites } from '../../engine/run/planned-writes.js';
import { grantWriter, type GrantWrite, type RunGrantsOptions } from '../../engine/run/run-grants.js';
import { runWrites } from '../../engine/run/run-writes.js';
import type { KindPlan } from '../../engine/run/reconciler.js';

type ApplyOptions = Omit<RunGrantsOptions, 'operation'> & {
  /** Every delete waits until a create has SUCCEEDED (deletesAwaitCreate). */
  awaitCreate: boolean;
};

/**
 * The plan written with the kind's plan beside it (`kindPlan`). Each of that plan's changes is one
 * result (a provisioning's, one per account), told by `say` as it ends; the results list the
 * assignments' rows first, as the report reads them (the creates at the plan's indexes).
 */
export async function applyPlan(
  plan: ReconcilePlan,
  writes: PlannedWrites,
  kindPlan: KindPlan | undefined,
  options: ApplyOptions,
  say: (result: GrantResult) => void,
): Promise<AppliedPlan> {
  const { awaitCreate, ...runOptions } = options;
  const audit = runOptions.dryRun ? undefined : runOptions.audit;
  const assignments = [...writes.creates, ...writes.updates, ...writes.deletes];
  const managedCreates = plan.creates.flatMap((c, i) => (c.managed ? [i] : []));
  // Waiting for a managed create with none to wait for: no delete runs.
  const heldForNoCreate = awaitCreate && managedCreates.length === 0;
  const planned = heldForNoCreate ? assignments.slice(0, -writes.deletes.length || undefined) : assignments;
  // The step's first record lists every write of the plan, before the first is sent.
  if (audit && (assignments.length > 0 || (kindPlan?.writes.length ?? 0) > 0))
    await audit.beforeFirstWrite(
      'assign',
      () => plannedRecords(assignments),
      () => kindPlan?.planned ?? [],
    );
  const grants = grantWriter(
    planned.map((w) => w.grant),
    { ...runOptions, operation: 'assign' },
  );
  const offset = planned.length;
  const kindWrites = (kindPlan?.writes ?? []).map((w) => shifted(w, offset));
  const needsOfDelete = deleteNeeds(plan, awaitCreate ? managedCreates : undefined);
  const run = await runWrites(
    {
      writes: [
        ...planned.map((w, i) =>
          grantWrite(
            w,
            i < writes.creates.length + writes.updates.length
              ? undefined
              : needsOfDelete(i - writes.creates.length - writes.updates.length),
            offset,
          ),
        ),
        ...kindWrites,
      ],
    },
    {
      maxConcurrency: runOptions.maxConcurrency,
      bound: { deadline: runOptions.deadline, signal: runOptions.signal },
      // What other kinds do after these writes, as the drivers' sessions register them.
      effects: [...new Set(planned.flatMap((w) => w.driver.effects ?? []))],
      audit,
      writerOf: writersOf(
        grants,
        kindPlan?.writer((what, record) => audit?.recordChange(what, record), say, runOptions.dryRun),
      ),
    },
  ).finally(() => grants.close());
  const rowsOf = (from: number, to: number) => run.ends.slice(from, to).map((e) => e?.rows[0]);
  const creates = writes.creates.length;
  const updates = writes.updates.length;
  const deleteResults = heldForNoCreate
    ? plan.deletes.map(() => undefined)
    : rowsOf(creates + updates, creates + updates + writes.deletes.length);
  const noneSucceeded = awaitCreate && !managedCreates.some((i) => run.ends[i]?.status === 'SUCCEEDED');
  const held = deleteResults.filter((r) => r === undefined).length;
  return {
    results: run.ends.flatMap((e) => e?.rows ?? []),
    kindResults: run.ends.slice(offset).flatMap((e) => e?.rows ?? []),
    deleteResults,
    updateResults: rowsOf(creates, creates + updates),
    held: noneSucceeded ? 0 : held,
    heldForNoCreate: noneSucceeded ? plan.deletes.length : 0,
  };
}

/**
 * What each delete needs, by its index in the plan's deletes (its write's index is the plan's
 * creates' and updates' count later): the creates at its place, when it is the old half of a
 * change of role; one of the managed creates (`awaitingCreate`), when every delete waits for one.
 */
function deleteNeeds(plan: ReconcilePlan, awaitingCreate: number[] | undefined) {
  const createsAt = new Map<string, number[]>();
  plan.creates.forEach((c, i) => {
    const place = placeOfPrincipal(c);
    createsAt.set(place, [...(createsAt.get(place) ?? []), i]);
  });
  return (d: number): WriteNeeds<GrantWrite> | undefined => {
    const replacing = createsAt.get(placeOfPrincipal(plan.deletes[d]!));
    if (!replacing && !awaitingCreate) return undefined;
    return { ...(replacing ? { all: replacing } : {}), ...(awaitingCreate ? { any: awaitingCreate } : {}) };
  };
}

/** A planned assignment write as a write of the plan, through its own driver; what it needs of the kind plan's writes, at their place (`offset`). */
function grantWrite(
  w: PlannedWrite,
  needs: WriteNeeds<GrantWrite> | undefined,
  offset: number,
): PlannedWriteOf<GrantWrite> {
  const item: GrantWrite = { grant: w.grant, driver: ownDriver(w) };
  const own = w.needs;
  const all = [...(needs?.all ?? []), ...(own?.kindPlan.map((d) => d + offset) ?? [])];
  const bind = own?.bind;
  return {
    kind: w.kind,
    change: w.change,
    item,
    ...(needs || own
      ? {
          needs: {
            ...needs,
            ...(all.length > 0 ? { all } : {}),
            ...(own
              ? {
                  unmet: (failed) =>
                    failed.some((f) => f >= offset) ? own.unmet(failed.map((f) => f - offset)) : undefined,
                }
              : {}),
            ...(bind
              ? {
                  bind: (answers: readonly (string | undefined)[]) => {
                    const bound = bind(answers.slice(all.length - own!.kindPlan.length));
                    return { grant: bound.grant, driver: ownDriver(bound) };
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}

/** A write of the kind plan, its needs moved to its place in the whole plan. */
function shifted(w: PlannedWriteOf, offset: number): PlannedWriteOf {
  if (!w.needs) return w;
  const { all, any, ...rest } = w.needs;
  return {
    ...w,
    needs: {
      ...rest,
      ...(all ? { all: all.map((n) => n + offset) } : {}),
      ...(any ? { any: any.map((n) => n + offset) } : {}),
    },
  };
}

/** The writer of each kind: the grant writer for the assignments', the kind plan's own for its. */
function writersOf(grants: KindWriter<GrantWrite>, kindPlan: KindWriter | undefined) {
  return (kind: KindName): KindWriter => {
    if (kind in KINDS) return grants as KindWriter;
    if (!kindPlan) throw new Error(`no writer for the kind ${kind}`);
    return kindPlan;
  };
}

/** Every write of the plan, as the step's first record lists them. */
function plannedRecords(writes: readonly PlannedWrite[]) {
  return writes.map((w) => ({ ...w.grant.written, kind: KINDS[w.kind].assignmentType }));
}
