// The accounts a reconcile's targets stand for, and the accounts an entry's OU holds but its
// expansion leaves out (SUSPENDED, PENDING_CLOSURE). Those are never deleted from: the file asks
// for the OU, and an account it holds but cannot be granted to now is not one the file dropped
// (with no `manages.targets`, every account is managed, and the listed
// assignment in a suspended account was deleted). An account an entry names by ID is planned as
// written whatever Organizations says of it, and is said to be not ACTIVE where a listing of it was
// read anyway (no Organizations call is made for it: an account ID needs none).
import { ACTIVE, describeExcluded, type ExcludedAccount } from '../../core/inputs/org-expansion.js';
import { expansionLines } from '../../core/output/target-expansion.js';
import type { AwsTarget } from '../../core/inputs/org-targets.js';
import type { ManifestProblem } from '../../core/manifest/nodes.js';
import type { AwsManifestEntry, Located } from '../../core/manifest/types.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import type { OrganizationsReader } from '../directory/organizations.js';
import type { SsoSession } from '../sso/session.js';

export class ReconcileTargets {
  /** AWS Organizations, for OU, root and path targets: loaded by the first such target. */
  private organizations: Promise<OrganizationsReader> | undefined;
  private reader: OrganizationsReader | undefined;
  /** What each OU, root or path target expanded to, once however many entries name it. */
  private readonly expansionNotes = new Set<string>();
  /** Accounts an entry's OU, root or path holds and its expansion left out, by ID. */
  private readonly leftOut = new Map<string, ExcludedAccount>();

  constructor(
    private readonly session: SsoSession,
    private readonly deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>,
  ) {}

  /**
   * The accounts a manifest target stands for: an account ID is itself; an OU, the root or an OU
   * path is every ACTIVE account under it, read with AWS Organizations (each parent listed once per
   * step, however many targets reach it), and the log says what it expanded to. An entry's target
   * (`entry`) also notes what it left out, which is then kept from every delete.
   */
  async accountsOf(target: Located<AwsTarget>, entry: boolean): Promise<string[]> {
    if (target.value.kind === 'account') return [target.value.id];
    this.reader = await this.organizationsReader();
    const expansion = await this.reader.expandTargets([{ written: target.written, value: target.value }]);
    for (const line of expansionLines(expansion)) this.expansionNotes.add(`target ${line}`);
    if (entry) for (const excluded of expansion.excluded) this.leftOut.set(excluded.id, excluded);
    return expansion.accounts;
  }

  /**
   * The accounts under an OU, root or path as a target of it expands (each parent listed once per
   * step): the ACTIVE ones, and the ones it leaves out.
   */
  async unitAccounts(
    written: string,
    value: AwsTarget,
  ): Promise<{ accounts: string[]; notActive: string[] }> {
    this.reader = await this.organizationsReader();
    const expansion = await this.reader.expandTargets([{ written, value }]);
    return {
      accounts: expansion.accounts,
      notActive: expansion.expansions.flatMap((e) => e.excluded.map((x) => x.id)),
    };
  }

  /** Every account's name in the organization, read once (a report names each row's account). */
  async nameEveryAccount(): Promise<void> {
    this.reader = await this.organizationsReader();
    await this.reader.nameEveryAccount();
  }

  private organizationsReader(): Promise<OrganizationsReader> {
    this.organizations ??= import('../directory/organizations.js').then(({ createOrganizationsReader }) =>
      createOrganizationsReader(this.session.clients, this.deps, this.session.stats),
    );
    return this.organizations;
  }

  /** Whether an entry's expansion left the account out: its assignments are not the section's to delete. */
  isLeftOut(accountId: string): boolean {
    return this.leftOut.has(accountId);
  }

  /** An account's name, where Organizations was read (for the targets, or every account) and listed it. */
  accountName(accountId: string): string | undefined {
    return this.reader?.accountNames.get(accountId);
  }

  /**
   * The accounts entries name by ID that an Organizations listing read for the targets answered as
   * not ACTIVE, in the OU expansion's words, at each target's line. Still planned: the file names
   * the account itself, and the plan of a line must not hang on whether another target had
   * Organizations read. Call once every target is expanded.
   */
  namedNotActive(entries: AwsManifestEntry[]): ManifestProblem[] {
    const statuses = this.reader?.accountStatuses;
    if (!statuses) return [];
    return entries.flatMap((entry) =>
      entry.targets.flatMap(({ value, line }) => {
        const status = value.kind === 'account' ? statuses.get(value.id) : undefined;
        if (value.kind !== 'account' || status === undefined || status === ACTIVE) return [];
        const account = describeExcluded({
          id: value.id,
          name: this.accountName(value.id) ?? '',
          status,
          target: '',
        });
        return [
          {
            line,
            message: `\`${entry.path}.target\`: ${account} in AWS Organizations, which an OU target leaves out: the entry names it, so its assignments are planned as written; if the account is closed or closing, remove it from the entry (a create there may fail)`,
          },
        ];
      }),
    );
  }

  /** What each OU, root or path target expanded to. */
  notes(): string[] {
    return [...this.expansionNotes];
  }

  /** The accounts kept from deletes, for the log and the summary (none: no line). */
  keptLines(): string[] {
    if (this.leftOut.size === 0) return [];
    const accounts = [...this.leftOut.values()];
    return [
      `accounts the entries' OUs hold but their expansion left out, not deleted from: ${accounts.map(describeExcluded).join('; ')} (their assignments are listed as unmanaged)`,
    ];
  }
}
