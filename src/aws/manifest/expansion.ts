// A manifest's `aws` section resolved against the instance and multiplied out into the
// (principal, permission set, account) assignments it asks for (./desired.ts), with what it manages
// (./management.ts: the permission sets it names or tags; its `manages.targets`' accounts). A
// reconcile plans from it (../reconcile.ts); a report tells the manifest's rows by it (../report.ts).
import type { AwsSessionSettings } from '../../core/inputs/index.js';
import type { AwsTarget } from '../../core/inputs/org-targets.js';
import { lookedUpAt, type ManifestProblem } from '../../core/manifest/problems.js';
import type { AwsManifestSection, Located } from '../../core/manifest/types.js';
import type { AwsPrincipalRef, PermissionSetRef } from '../../core/types.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import type { ExpandedSection } from '../../engine/run/reconciler.js';
import { StoreNames } from '../reads/store-names.js';
import { ReconcileTargets } from '../reads/targets.js';
import type { SsoSession } from '../sso/session.js';
import { PlannedSets } from './planned-sets.js';
import { desiredOfEntries } from './desired.js';
import { readManagedPermissionSets, type ManagedSets } from './management.js';

type PrincipalType = AwsSessionSettings['principalType'];

/** What the section manages, resolved: only these are ever deleted. */
export interface AwsManaged {
  permissionSets: Set<string>;
  /** undefined: every account. */
  accounts: Set<string> | undefined;
}

export class AwsSectionExpansion {
  /** What the section manages, once expanded. */
  managed: AwsManaged = { permissionSets: new Set(), accounts: undefined };
  /** Each ID the file's names resolved to (principals, permission sets) → the name it wrote. */
  readonly writtenNames = new Map<string, string>();
  /** The accounts the targets stand for, and those an OU holds but its expansion leaves out. */
  readonly targets: ReconcileTargets;
  /** The managed permission sets, by name and tag, once expanded. */
  managedSets: ManagedSets | undefined;
  /** The sets the section defines that the instance does not hold yet, under their placeholders. */
  readonly plannedSets: PlannedSets;
  private readonly storeNames: StoreNames;

  constructor(
    private readonly section: AwsManifestSection,
    private readonly session: SsoSession,
    deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>,
  ) {
    const groupNames = new Set(
      section.assignments
        .filter((e) => e.principalType === 'GROUP')
        .flatMap((e) => e.principals.flatMap((p) => (p.value.kind === 'name' ? [p.value.name] : []))),
    );
    this.storeNames = new StoreNames(session, groupNames.size);
    this.targets = new ReconcileTargets(session, deps);
    this.plannedSets = new PlannedSets(
      session,
      new Set(section.permissionSets?.definitions.map((d) => d.name) ?? []),
      section.permissionSets !== undefined,
    );
  }

  /**
   * The seam: every principal through `principal`, every permission set through `permissionSet`,
   * every target through `accounts` (an account ID is itself; an OU expands to its accounts). A
   * name that is not found is a problem at its line, with the closest names when known, unless
   * the section defines that set: then it is planned (./planned-sets.ts).
   */
  async expand(): Promise<ExpandedSection<undefined, string>> {
    const problems: ManifestProblem[] = [];
    const attempt = <T>(path: string, line: number, lookUp: () => Promise<T>) =>
      lookedUpAt({ line, path }, problems, lookUp);
    const permissionSet = (l: Located<PermissionSetRef>, path: string) =>
      attempt(path, l.line, () => this.plannedSets.arnOf(l.value));
    const principal = (l: Located<AwsPrincipalRef>, type: PrincipalType, path: string) =>
      attempt(path, l.line, () => this.storeNames.principalId(l.value, type));
    const accounts = (l: Located<AwsTarget>, path: string, entry = true) =>
      attempt(path, l.line, () => this.targets.accountsOf(l, entry));

    const { manages } = this.section;
    this.managedSets = await readManagedPermissionSets(this.session, manages, attempt, (ref) =>
      this.plannedSets.managedArnOf(ref),
    );
    problems.push(...this.managedSets.problems);
    for (const [arn, name] of this.managedSets.names) this.writtenNames.set(arn, name);
    const managedAccounts = manages.targets
      ? await Promise.all(manages.targets.map((l) => accounts(l, 'aws.manages.targets', false)))
      : undefined;
    this.managed = {
      permissionSets: this.managedSets.arns,
      accounts: managedAccounts ? new Set(managedAccounts.flatMap((a) => a ?? [])) : undefined,
    };

    const resolved = await Promise.all(
      this.section.assignments.map(async (entry) => {
        const [principals, roles, targets] = await Promise.all([
          Promise.all(
            entry.principals.map((p) => principal(p, entry.principalType, `${entry.path}.principal`)),
          ),
          Promise.all(entry.roles.map((r) => permissionSet(r, `${entry.path}.role`))),
          Promise.all(entry.targets.map((t) => accounts(t, `${entry.path}.target`))),
        ]);
        return { entry, principals, roles, targets };
      }),
    );
    const { desired, problem } = desiredOfEntries(
      resolved,
      (ps, a) => this.isManaged(ps, a),
      this.writtenNames,
    );
    if (problem) problems.push(problem);
    const { warnings, byTag } = this.managedSets;
    // What each OU target stands for, once, beside what the tags match: a reviewer reads both.
    const management = [...this.targets.notes(), ...byTag, ...this.targets.keptLines()];
    return {
      desired,
      problems,
      notes: this.notes(),
      warnings: [...warnings, ...this.targets.namedNotActive(this.section.assignments)],
      management,
    };
  }

  isManaged(permissionSetArn: string, accountId: string): boolean {
    return (
      this.managed.permissionSets.has(permissionSetArn) &&
      (this.managed.accounts?.has(accountId) ?? true) &&
      !this.targets.isLeftOut(accountId)
    );
  }

  private notes(): string[] {
    return [
      `manages ${this.managed.permissionSets.size} permission set(s) in ${this.managed.accounts ? `${this.managed.accounts.size} account(s)` : 'every account'}`,
    ];
  }
}
