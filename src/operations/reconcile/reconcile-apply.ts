// Writing a reconcile's plan as one write plan of the engine (engine/calls/write-plan.ts): the
// creates, the updates (an Azure condition rewritten in place) and the deletes, of whatever kinds
// they are, and the writes of the kinds' sections beside them (AWS: the permission sets the
// manifest defines; Azure: its memberships of PIM for groups), whose kinds declare their own order
// to the assignments' writes, and which an assignment write needs by address (never by place). What a reconcile adds is what its writes
// need of each other: the old half of a change of role needs the create at its place (principal
// and target), so no principal is ever left with neither assignment; and when the deletes would
// leave the section managing nothing but for the creates (./reconcile-plan.ts,
// deletesAwaitCreate), no delete starts before a managed create has ended SUCCEEDED, and none
// runs when none has. The engine runs it all under the step's one `max-concurrency`.
import type { AppliedPlan } from './reconcile-ending.js';
import { placeOfPrincipal, type ReconcilePlan } from '../../core/plan/assignment-diff.js';
import { KINDS, type KindName } from '../../core/kinds/index.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { KindWriter, PlannedWriteOf, WriteEnded, WriteNeeds } from '../../engine/calls/write-plan.js';
import { ownDriver, type PlannedWrite, type PlannedWrites } from '../../engine/run/planned-writes.js';
import { grantWriter, type GrantWrite, type RunGrantsOptions } from '../../engine/run/run-grants.js';
import { runWrites } from '../../engine/run/run-writes.js';
import type { SectionPlan } from '../../engine/run/reconciler.js';
import { savingWriter, type SectionSaver } from '../../engine/run/saved-sections.js';
import { sectionSaves, type PostStepSettings } from '../../core/state/saved-sections.js';
import type { StepState } from '../../core/state/saved-state.js';

type ApplyOptions = Omit<RunGrantsOptions, 'operation'> & {
  /** Every delete waits until a create has SUCCEEDED (deletesAwaitCreate). */
  awaitCreate: boolean;
  /** Saves a section's create that ends with the job, for the post step (sectionsSave). */
  save?: SectionSaver | undefined;
};

/** The state a step leaves its post step, and how that post step signs in (as the step did). */
export interface PostStepKeeping {
  state: StepState;
  settings: PostStepSettings;
}

/**
 * The save of the sections' creates that end with the job (their `saves`), for the post step
 * `kept` for: a header for all of them first, then each entry as its create is sent and answered.
 * None when no section says so, or the step keeps no state for a post step.
 */
export function sectionsSave(
  kept: PostStepKeeping | undefined,
  sections: readonly SectionPlan[],
): SectionSaver | undefined {
  const count = sections.reduce(
    (n, s) => n + (s.saves ? s.writes.filter((w) => w.change === 'create').length : 0),
    0,
  );
  if (!kept || count === 0) return undefined;
  return sectionSaves(kept.state, kept.settings, count);
}

/**
 * The plan written with the kinds' sections beside it (`sections`). Each of a section's changes is
 * one result (a provisioning's, one per account), told by `say` as it ends; the results list the
 * assignments' rows first, as the report reads them (the creates at the plan's indexes), then each
 * section's, in its turn.
 */
export async function applyPlan(
  plan: ReconcilePlan,
  writes: PlannedWrites,
  sections: readonly SectionPlan[],
  options: ApplyOptions,
  say: (result: GrantResult) => void,
): Promise<AppliedPlan> {
  const { awaitCreate, save, ...runOptions } = options;
  const audit = runOptions.dryRun ? undefined : runOptions.audit;
  const assignments = [...writes.creates, ...writes.updates, ...writes.deletes];
  const managedCreates = plan.creates.flatMap((c, i) => (c.managed ? [i] : []));
  // Waiting for a managed create with none to wait for: no delete runs.
  const heldForNoCreate = awaitCreate && managedCreates.length === 0;
  const planned = heldForNoCreate ? assignments.slice(0, -writes.deletes.length || undefined) : assignments;
  // The step's first record lists every write of the plan, before the first is sent.
  if (audit && (assignments.length > 0 || sections.some((s) => s.writes.length > 0)))
    await audit.beforeFirstWrite(
      'assign',
      () => plannedRecords(assignments),
      () => sections.flatMap((s) => s.planned ?? []),
    );
  const grants = grantWriter(
    planned.map((w) => w.grant),
    { ...runOptions, operation: 'assign' },
  );
  const needsOfDelete = deleteNeeds(plan, awaitCreate ? managedCreates : undefined);
  const firstDelete = writes.creates.length + writes.updates.length;
  const assignmentWrites = planned.map((w, i) =>
    grantWrite(w, i < firstDelete ? undefined : needsOfDelete(i - firstDelete)),
  );
  const run = await runWrites(
    { writes: [...assignmentWrites, ...sections.flatMap((s) => s.writes)] },
    {
      maxConcurrency: runOptions.maxConcurrency,
      bound: { deadline: runOptions.deadline, signal: runOptions.signal },
      // What other kinds do after these writes, as the drivers' sessions register them.
      effects: [...new Set(planned.flatMap((w) => w.driver.effects ?? []))],
      audit,
      writerOf: writersOf(
        grants,
        sections.map((s) => {
          const writer = s.writer(
            (what, record) => audit?.recordChange(what, record),
            say,
            runOptions.dryRun,
          );
          return { section: s, writer: s.saves && save ? savingWriter(writer, s.saves, save) : writer };
        }),
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
  const rowsOfSection = sectionRows(sections, run.ends.slice(assignmentWrites.length));
  return {
    results: run.ends.flatMap((e) => e?.rows ?? []),
    sectionResults: sections.map(rowsOfSection),
    deleteResults,
    updateResults: rowsOf(creates, creates + updates),
    held: noneSucceeded ? 0 : held,
    heldForNoCreate: noneSucceeded ? plan.deletes.length : 0,
  };
}

/** Each section's rows, from the ends of the sections' writes, which follow one another in the plan. */
function sectionRows(sections: readonly SectionPlan[], ends: readonly (WriteEnded | undefined)[]) {
  const rows = new Map<SectionPlan, GrantResult[]>();
  let at = 0;
  for (const section of sections) {
    rows.set(
      section,
      ends.slice(at, at + section.writes.length).flatMap((e) => e?.rows ?? []),
    );
    at += section.writes.length;
  }
  return (section: SectionPlan): GrantResult[] => rows.get(section) ?? [];
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

/**
 * A planned assignment write as a write of the plan, through its own driver: what it needs among
 * the assignments (`needs`, by index: they come first in the plan), and what it is made from of
 * another kind's section (its own needs, by address).
 */
function grantWrite(w: PlannedWrite, needs: WriteNeeds<GrantWrite> | undefined): PlannedWriteOf<GrantWrite> {
  const item: GrantWrite = { grant: w.grant, driver: ownDriver(w) };
  const own = w.needs;
  const bind = own?.bind;
  return {
    kind: w.kind,
    change: w.change,
    item,
    ...(needs || own
      ? {
          needs: {
            ...needs,
            ...(own
              ? {
                  of: own.of,
                  // Only a failed write of what it is made from says why it was not sent; a
                  // failed need among the assignments holds it.
                  unmet: (failed) =>
                    failed.some((f) => !(needs?.all ?? []).includes(f)) ? own.unmet() : undefined,
                }
              : {}),
            ...(bind
              ? {
                  bind: (answers: readonly (string | undefined)[]) => {
                    const bound = bind(answers.slice(0, own!.of.length));
                    return { grant: bound.grant, driver: ownDriver(bound) };
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}

/** The writer of each kind: the grant writer for the assignments', each section's own for its writes' kinds. */
function writersOf(
  grants: KindWriter<GrantWrite>,
  sections: readonly { section: SectionPlan; writer: KindWriter }[],
) {
  const byKind = new Map<KindName, KindWriter>();
  for (const { section, writer } of sections) for (const w of section.writes) byKind.set(w.kind, writer);
  return (kind: KindName): KindWriter => {
    if (kind in KINDS) return grants as KindWriter;
    const writer = byKind.get(kind);
    if (!writer) throw new Error(`no writer for the kind ${kind}`);
    return writer;
  };
}

/** Every write of the plan, as the step's first record lists them. */
function plannedRecords(writes: readonly PlannedWrite[]) {
  return writes.map((w) => ({ ...w.grant.written, kind: KINDS[w.kind].assignmentType }));
}
