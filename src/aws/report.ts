// `operation: report` on IAM Identity Center: every account assignment of the `role` permission
// sets (every one of the instance) in the `target` accounts and OUs (every account), read by place,
// the one complete plan of reconcile's two that sees a deleted principal's (./reads/every-assignment.ts);
// each one's run, and since when and by whom, from CloudTrail (./account-assignment/history.ts); the
// manifests' entries, as a reconcile expands them (./manifest/entries.ts); names as a reconcile's plan
// shows them, on the rows put together in ./account-assignment/held-assignments.ts; and with
// `expand-groups` each group's users. Loaded with import() only by a report step. Nothing here
// writes.
import { describeError } from '../core/errors.js';
import type { AwsSessionSettings, ReportRequest } from '../core/inputs/index.js';
import type { AwsManifestSection } from '../core/manifest/types.js';
import { parseAwsTarget } from '../core/inputs/org-targets.js';
import type { UnitAccounts } from '../core/inputs/org-targets.js';
import { isPermissionSetOfInstance } from '../core/manifest/permission-set-tags.js';
import { safeIso } from '../core/duration.js';
import {
  minutesAt,
  type AccessRead,
  type AccessReader,
  type HeldAssignment,
  type ReadOptions,
  type ReadWindow,
  type UsageRead,
} from '../engine/run/access-reader.js';
import type { UsageRequest } from '../core/inputs/usage-inputs.js';
import { readAwsUsage } from './report-usage.js';
import { LabelsBudget, withinBudget } from '../engine/limits/best-effort.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import { groupMembers } from './directory/group-members.js';
import { manifestEntries } from './manifest/entries.js';
import {
  readEveryAssignmentByPlace,
  totalCalls,
  type ReadAssignment,
  type ReadScope,
} from './reads/every-assignment.js';
import { ReconcileTargets } from './reads/targets.js';
import { SSO_ADMIN_CALLS_PER_WINDOW } from './sso/quotas.js';
import { createSsoSession, type SsoSession, type SsoSessionSeams } from './sso/session.js';
import { readAssignmentHistory } from './account-assignment/history.js';
import { heldAssignments, placeOf } from './account-assignment/held-assignments.js';
import type { SnapshotRun } from './snapshot/delta-read.js';
import { readReportWithSnapshot, reportSnapshot, type UsageLedgerRun } from './snapshot/report-snapshot.js';
import { AWS_SECTIONS } from './kinds.js';

export class AwsAccessReader implements AccessReader<AwsManifestSection> {
  readonly cloud = 'aws' as const;
  private readonly session: SsoSession;
  private readonly targets: ReconcileTargets;

  /**
   * With `snapshot` and `last-used: true` from the event history: the snapshot to keep once the
   * usage ledger is read into it, and the ledger it held.
   */
  private ledger: UsageLedgerRun | undefined;
  /** Every permission set of the instance, when the read listed them all (no `role`). */
  private listedSets: string[] | undefined;

  /** `snapshot`: the run's snapshot, once the instance is known; undefined, a complete read every run. */
  private readonly snapshot: ((completeRead: SnapshotRun['completeRead']) => SnapshotRun) | undefined;

  constructor(
    private readonly settings: AwsSessionSettings,
    private readonly request: ReportRequest,
    private readonly deps: AdapterDeps,
    run: { eventName?: string | undefined },
    seams?: SsoSessionSeams,
  ) {
    this.session = createSsoSession(settings, deps, seams);
    this.targets = new ReconcileTargets(this.session, deps);
    this.snapshot = reportSnapshot(settings, request, deps, () => this.session.instance, run.eventName);
  }

  get stats() {
    return this.session.stats;
  }

  async read(options: ReadOptions<AwsManifestSection>): Promise<AccessRead> {
    const { session } = this;
    await session.prepare({ identityStore: true });
    const notes: string[] = [];
    const warnings: string[] = [];
    const started = Date.now();
    const before = totalCalls(session);
    const permissionSets = await this.permissionSets();
    const accounts = await this.accounts();
    if (!this.request.permissionSets?.length) this.listedSets = permissionSets;
    const {
      assignments,
      read,
      members: kept,
      kept: ledger,
    } = await this.readAssignments(
      { managedPermissionSets: permissionSets, managedAccounts: accounts, desiredPlaces: [] },
      options,
      { notes, warnings },
    );
    this.ledger = ledger;
    const readMs = Date.now() - started;
    const calls = totalCalls(session) - before;
    notes.push(...this.targets.notes());

    const labels = new LabelsBudget(this.deps.deadline);
    const [history, listed] = await Promise.all([
      this.history(assignments, notes),
      manifestEntries(options.manifests, this.session, this.deps, notes, warnings),
      this.nameAccounts(assignments, labels, notes),
    ]);
    const members = kept?.size ? kept : await this.members(assignments);
    const found = { history, listed, members };
    const rows = await heldAssignments(assignments, found, {
      session,
      accountName: (id) => this.targets.accountName(id),
      labels,
    });
    notes.push(...rows.notes);
    // The kinds beside the assignments list theirs after them (./kinds.ts AWS_SECTIONS).
    const beside = await Promise.all(
      AWS_SECTIONS.map((kind) => kind.held?.(session, options.manifests) ?? []),
    );
    return {
      held: [...rows.held, ...beside.flat()],
      ...(rows.members ? { members: rows.members } : {}),
      notes,
      warnings,
      read: { ...read, calls },
      readMs,
      scope: `${permissionSets.length} permission set(s) of ${session.instance}${this.request.permissionSets?.length ? '' : ' (all)'} in ${accounts ? `${accounts.size} account(s)` : 'every account'}`,
      cover: this.coverOf(permissionSets, accounts),
      instance: session.instance,
      windows: windowsOf(started, readMs, history.window),
    };
  }

  /** Every assignment where the report reads, by place; from the snapshot and CloudTrail's writes since with `snapshot`. */
  private readAssignments(
    scope: ReadScope,
    options: ReadOptions<AwsManifestSection>,
    said: { notes: string[]; warnings: string[] },
  ) {
    const completeRead = (s: ReadScope) =>
      readEveryAssignmentByPlace(this.session, s, (plan) =>
        options.onPlan({ ...plan, minutes: minutesAt(plan.calls, SSO_ADMIN_CALLS_PER_WINDOW) }),
      );
    return this.snapshot
      ? readReportWithSnapshot(this.session, scope, this.snapshot(completeRead), this.deps, said)
      : completeRead(scope).then((read) => ({ ...read, members: undefined, kept: undefined }));
  }

  /**
   * With `expand-groups`, each group's users (with `snapshot` they came with the assignments: kept
   * there, read again where a membership write touched them).
   */
  private async members(assignments: ReadAssignment[]): Promise<Map<string, string[]> | undefined> {
    const groups = this.request.expandGroups
      ? [...new Set(assignments.filter((a) => a.principalType === 'GROUP').map((a) => a.principalId))]
      : [];
    if (groups.length === 0) return undefined;
    return groupMembers(this.session, this.session.identityStore!, groups);
  }

  /** Who signed in with the rows' grants (`last-used: true`): ./report-usage.ts; the ledger is kept once. */
  async readUsage(
    held: readonly HeldAssignment[],
    request: UsageRequest,
    say: (line: string) => void,
  ): Promise<UsageRead> {
    const ledger = this.ledger;
    this.ledger = undefined;
    return readAwsUsage(
      this.session,
      this.deps,
      this.settings.region,
      { held, request, say },
      {
        ledger,
        listedSets: this.listedSets,
      },
    );
  }

  /** Each permission set's tags (ListTagsForResource, once per set per step); a failed read, why. */
  async setTags(arns: readonly string[]): Promise<Map<string, { key: string; value: string }[] | string>> {
    const read = async (arn: string): Promise<[string, { key: string; value: string }[] | string]> => {
      if (!isPermissionSetOfInstance(arn, this.session.instance))
        return [arn, `not a permission set of ${this.session.instance}`];
      try {
        const tags = await this.session.permissionSetTags(arn);
        return [arn, tags.map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }))];
      } catch (error) {
        return [arn, describeError(error)];
      }
    };
    return new Map(await Promise.all([...new Set(arns)].map(read)));
  }

  /** The accounts under each OU, root or path (AccessReader's accountsUnder); a failed read, why. */
  async accountsUnder(units: readonly string[]): Promise<Map<string, UnitAccounts>> {
    const read = async (written: string): Promise<[string, UnitAccounts]> => {
      const value = parseAwsTarget(written);
      if ('problem' in value) return [written, `\`${written}\` ${value.problem}`];
      if (value.kind === 'account') return [written, { accounts: [value.id], notActive: [] }];
      try {
        return [written, await this.targets.unitAccounts(written, value)];
      } catch (error) {
        return [written, describeError(error)];
      }
    };
    return new Map(await Promise.all([...new Set(units)].map(read)));
  }

  /**
   * Names for the accounts no target expansion named (one ListAccounts listing of the
   * organization): best-effort within the labels budget, as every name of a row is.
   */
  private async nameAccounts(
    assignments: ReadAssignment[],
    labels: LabelsBudget,
    notes: string[],
  ): Promise<void> {
    if (assignments.every((a) => this.targets.accountName(a.accountId) !== undefined)) return;
    try {
      await withinBudget(this.targets.nameEveryAccount(), labels.start());
    } catch (error) {
      notes.push(
        `account names not read, rows show account IDs: ${describeError(error)}; \`organizations:ListAccounts\`, from the organization's management account or a delegated administrator for AWS Organizations, names them`,
      );
    }
  }

  /** Where the read went, as data: the accounts and permission sets asked for (null: every one). */
  private coverOf(permissionSets: string[], accounts: Set<string> | undefined) {
    return {
      targets: accounts ? [...accounts] : null,
      roles: this.request.permissionSets?.length ? permissionSets : null,
    };
  }

  /** The `role` permission sets, or every one of the instance. */
  private async permissionSets(): Promise<string[]> {
    const refs = this.request.permissionSets ?? [];
    if (refs.length > 0) return Promise.all(refs.map((ref) => this.session.permissionSetArn(ref)));
    const instance = this.session.instance;
    return [...new Set(await this.session.permissionSets.arns())].filter((arn) =>
      isPermissionSetOfInstance(arn, instance),
    );
  }

  /** The `target` accounts, OUs expanded; undefined: every account. */
  private async accounts(): Promise<Set<string> | undefined> {
    const targets = this.request.awsTargets ?? [];
    if (targets.length === 0) return undefined;
    const lists = await Promise.all(targets.map((t) => this.targets.accountsOf({ ...t, line: 0 }, false)));
    return new Set(lists.flat());
  }

  /**
   * CloudTrail's history of the assignments read: since when and by whom, and which a session of
   * `created-by` (or the report's own role) made as a run's.
   */
  private history(assignments: ReadAssignment[], notes: string[]) {
    const roles =
      this.request.createdBy.length > 0 ? this.request.createdBy : [this.settings.roleToAssume ?? ''];
    const createdBy = new Set(roles.filter(Boolean));
    const { lookbackSeconds } = this.request;
    const places = assignments.map(placeOf);
    return readAssignmentHistory(this.session, this.deps, places, { createdBy, lookbackSeconds }, notes);
  }
}

/** When the assignments were read, and CloudTrail after them. */
const windowsOf = (started: number, readMs: number, trail: ReadWindow | undefined): ReadWindow[] => [
  { source: 'IAM Identity Center', start: safeIso(started), end: safeIso(started + readMs) },
  ...(trail ? [trail] : []),
];

export function createAwsAccessReader(
  settings: AwsSessionSettings,
  request: ReportRequest,
  deps: AdapterDeps,
  /** The run (core/run-context.ts): its event decides whether a snapshot is written. */
  run: { eventName?: string | undefined } = {},
  seams?: SsoSessionSeams,
): AwsAccessReader {
  return new AwsAccessReader(settings, request, deps, run, seams);
}
