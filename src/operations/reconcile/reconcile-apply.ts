// Writing a reconcile's plan: the creates and the updates (an Azure condition rewritten in place),
// and beside them the deletes that replace nothing; then
// the deletes that are the old half of a change of role, each only once the create at its place
// (principal and target) ended SUCCEEDED, so no principal is ever left with neither assignment.
// When the deletes would leave the section managing nothing but for the creates
// (./reconcile-plan.ts, deletesAwaitCreate), no delete starts before a managed create has
// ended SUCCEEDED, and none runs when none has. The writes may be of any kind of access: each
// goes through its kind's driver, all under one driver (engine/run/planned-writes.ts kindsDriver),
// so the step's one `max-concurrency` holds across kinds.
import type { AppliedPlan } from './reconcile-ending.js';
import { deleteOrder, placeOfPrincipal, type ReconcilePlan } from '../../core/plan/assignment-diff.js';
import { KINDS } from '../../core/kinds/index.js';
import type { GrantResult } from '../../core/types.js';
import { kindsDriver, type PlannedWrite, type PlannedWrites } from '../../engine/run/planned-writes.js';
import { runGrants, type RunGrantsOptions } from '../../engine/run/run-grants.js';
import type { DefinitionsPlan } from '../../engine/run/reconciler.js';
import type { SetChange } from '../../engine/audit/set-change-record.js';

type ApplyOptions = Omit<RunGrantsOptions, 'operation'> & {
  /** Every delete waits until a create has SUCCEEDED (deletesAwaitCreate). */
  awaitCreate: boolean;
};

/**
 * The plan written with what the section defines around it (AWS: permission sets): the
 * definitions' creates first (an assignment create needs its set, so the writes are made only
 * once they have answered, `writesOf`), then the definitions' updates and provisioning (so a new
 * holder never receives content the manifest has already changed), then the assignment creates,
 * then the assignment deletes, then the definitions' deletes. Each definition's change is one
 * result, told by `say` as it ends. No definitions: applyPlan.
 */
export async function applyWithDefinitions(
  plan: ReconcilePlan,
  writesOf: () => PlannedWrites,
  definitions: DefinitionsPlan | undefined,
  options: ApplyOptions,
  say: (result: GrantResult) => void,
): Promise<AppliedPlan> {
  if (!definitions) return applyPlan(plan, writesOf(), options);
  // A dry run (or a refused plan) writes nothing: the sets' changes are rows of what it would do,
  // their plan lines already in the log.
  if (options.dryRun) {
    const previewed = await applyPlan(plan, writesOf(), options);
    return { ...previewed, results: [...previewed.results, ...definitions.preview()] };
  }
  // No write before the step's first record: it lists the assignment writes as planned (a set
  // still to be created under its placeholder) and the sets' changes, and applyPlan's own asks
  // find it written. Each set change then has its own record.
  const audit = options.dryRun ? undefined : options.audit;
  if (audit) {
    const planned = writesOf();
    await audit.beforeFirstWrite(
      'assign',
      () => plannedRecords(planned),
      () => definitions.planned ?? [],
    );
  }
  const record = (change: SetChange) => audit?.recordSetChange(change);
  const told = (results: GrantResult[]) => {
    results.forEach(say);
    return results;
  };
  const created = told(await definitions.create(record));
  const updated = told(await definitions.update(record));
  const applied = await applyPlan(plan, writesOf(), { ...options, deletesAfterCreates: true });
  const deleted = told(await definitions.remove(record));
  // The assignments' rows first, as the report reads them (the creates at the plan's indexes).
  return { ...applied, results: [...applied.results, ...created, ...updated, ...deleted] };
}

export async function applyPlan(
  plan: ReconcilePlan,
  writes: PlannedWrites,
  options: ApplyOptions & {
    /** No delete starts before every create and update has ended (a section defining sets). */
    deletesAfterCreates?: boolean;
  },
): Promise<AppliedPlan> {
  const { awaitCreate, deletesAfterCreates, ...runOptions } = options;
  // The step's first record lists every write of the plan, before the first is sent.
  const everyWrite = [...writes.creates, ...writes.updates, ...writes.deletes];
  if (runOptions.audit && !runOptions.dryRun && everyWrite.length > 0)
    await runOptions.audit.beforeFirstWrite('assign', () => plannedRecords(writes));
  const { independent, afterCreate } = deleteOrder(plan);
  const driver = kindsDriver(writes.cloud, writes.stats, [
    ...writes.creates,
    ...writes.deletes,
    ...writes.updates,
  ]);
  const grants = (planned: PlannedWrite[]) => planned.map((w) => w.grant);
  const revoke = (indexes: number[]) =>
    runGrants(
      indexes.map((i) => writes.deletes[i]!.grant),
      driver,
      { ...runOptions, operation: 'revoke' },
    );
  // Opens at the first managed create that SUCCEEDED (known by the IDs its result carries, the
  // planned grant's own), or, at the latest, once every create has ended, by their results.
  const managedCreates = new Set(
    plan.creates.flatMap((c, i) => (c.managed ? [writes.creates[i]?.grant.resolved] : [])),
  );
  let open!: (succeeded: boolean) => void;
  const aCreateSucceeded = new Promise<boolean>((resolve) => (open = resolve));
  // The updates go with the creates, after them: each is an assign of what the file lists.
  const assigning = runGrants(grants([...writes.creates, ...writes.updates]), driver, {
    ...runOptions,
    operation: 'assign',
    onResult: (result) => {
      runOptions.onResult?.(result);
      if (result.status === 'SUCCEEDED' && managedCreates.has(result.resolved)) open(true);
    },
  }).then((assigned) => {
    // runGrants answers in the order of its grants: assigned[i] is plan.creates[i]'s, then the updates'.
    open(plan.creates.some((c, i) => c.managed && assigned[i]?.status === 'SUCCEEDED'));
    return assigned;
  });
  // The deletes that replace nothing run beside the creates, or after them when asked.
  const started = deletesAfterCreates ? assigning.then(() => undefined) : Promise.resolve();
  const removing = awaitCreate
    ? Promise.all([aCreateSucceeded, started]).then(([succeeded]) => (succeeded ? revoke(independent) : []))
    : started.then(() => revoke(independent));
  const [assigned, removed] = await Promise.all([assigning, removing]);
  const created = assigned.slice(0, writes.creates.length);
  const updateResults = assigned.slice(writes.creates.length);
  const deleteResults: (GrantResult | undefined)[] = plan.deletes.map(() => undefined);
  if (awaitCreate && !(await aCreateSucceeded))
    return {
      results: assigned,
      deleteResults,
      updateResults,
      held: 0,
      heldForNoCreate: plan.deletes.length,
    };
  const failedPlaces = new Set(
    plan.creates.filter((_, i) => created[i]?.status !== 'SUCCEEDED').map(placeOfPrincipal),
  );
  const ready = afterCreate.filter((i) => !failedPlaces.has(placeOfPrincipal(plan.deletes[i]!)));
  const replaced = await revoke(ready);
  independent.forEach((d, i) => (deleteResults[d] = removed[i]));
  ready.forEach((d, i) => (deleteResults[d] = replaced[i]));
  return {
    results: [...assigned, ...removed, ...replaced],
    deleteResults,
    updateResults,
    held: afterCreate.length - ready.length,
    heldForNoCreate: 0,
  };
}

/** Every write of the plan, as the step's first record lists them. */
function plannedRecords(writes: PlannedWrites) {
  return [...writes.creates, ...writes.updates, ...writes.deletes].map((w) => ({
    ...w.grant.written,
    kind: KINDS[w.kind].assignmentType,
  }));
}
