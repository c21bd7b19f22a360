// The complete read a reconcile plans from: every principal's assignment of a managed permission
// set in a managed account, including principals the manifest never names (one added by hand is
// drift to delete), plus what is at the places the manifest asks for. Reading only the file's
// principals would miss those added by hand. Two complete plans, the cheaper chosen from sizes
// read cheaply (ListAccountsForProvisionedPermissionSet's first page, the identity store's pages):
// - by place: per managed permission set, the accounts it is provisioned to, then one
//   ListAccountAssignments per account × permission set;
// - by principal: every user and group of the identity store, then one
//   ListAccountAssignmentsForPrincipal each (the management account only: a delegated
//   administrator is refused, and the read falls back to the first plan).
import {
  ListAccountAssignmentsCommand,
  ListAccountsForProvisionedPermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import { ACCOUNT_ID } from '../../core/patterns.js';
import type { ReadReport } from '../../engine/reconcile.js';
import { isAwsError } from '../sdk/errors.js';
import { checked, listPrincipals, readByPrincipal, type ReadAssignment } from './principal-reads.js';
import type { SsoSession } from '../sso/session.js';
import { LIST_PAGE } from '../sdk/sso-calls.js';

export type { ReadAssignment };

export interface ReadScope {
  managedPermissionSets: string[];
  /** undefined: every account the permission sets are provisioned to. */
  managedAccounts: Set<string> | undefined;
  /** Where the manifest asks for assignments (outside what it manages too: an unchanged one is not re-created). */
  desiredPlaces: { accountId: string; permissionSetArn: string }[];
}

const pages = (items: number) => Math.max(1, Math.ceil(items / LIST_PAGE));
const placeKey = (accountId: string, permissionSetArn: string) => `${accountId}|${permissionSetArn}`;

/** The plan chosen and the calls it is expected to take, told before its reads start (a report prints it). */
export type OnReadPlan = (plan: { strategy: string; calls: number }) => void;

export async function readAwsAssignments(
  session: SsoSession,
  scope: ReadScope,
  onPlan?: OnReadPlan,
): Promise<{ assignments: ReadAssignment[]; read: ReadReport }> {
  const before = totalCalls(session);
  const reads = new PlaceReads(session, scope);
  // The size of the first plan: one permission set's accounts (one page, often all of them).
  const [first, ...rest] = scope.managedPermissionSets;
  if (first) await reads.sizeFirst();
  const estimate = reads.estimate(rest.length);
  const principals = await listPrincipals(session, estimate);
  if (principals && principals.length < estimate) {
    try {
      onPlan?.({ strategy: 'ListAccountAssignmentsForPrincipal per user and group', calls: principals.length });
      const assignments = await readByPrincipal(session, principals, reads.wanted());
      return report(
        assignments,
        session,
        before,
        `ListAccountAssignmentsForPrincipal per user and group of the identity store (${principals.length})`,
        [{ strategy: 'ListAccountAssignments per account × permission set (estimated)', calls: estimate }],
      );
    } catch (error) {
      if (!isAwsError(error, 'AccessDeniedException')) throw error;
      // A delegated administrator may not list by principal: the first plan reads the same.
    }
  }
  onPlan?.({
    strategy: 'ListAccountAssignments per account × permission set',
    calls: estimate,
  });
  const assignments = await reads.all();
  return report(assignments, session, before, reads.describe(), [
    {
      strategy: 'ListAccountAssignmentsForPrincipal per user and group (at least)',
      calls: principals ? principals.length + 2 : estimate,
    },
  ]);
}

/** The first plan: permission sets' accounts, then each account × permission set. */
class PlaceReads {
  /** The first managed permission set's first page of accounts, kept for this plan's own read of it. */
  private firstPage: { arn: string; accounts: string[]; nextToken: string | undefined } | undefined;
  private readonly provisioned = new Map<string, Promise<string[]>>();
  private readonly places = new Map<string, { accountId: string; permissionSetArn: string }>();
  constructor(
    private readonly session: SsoSession,
    private readonly scope: ReadScope,
  ) {}

  provisionedAccounts(permissionSetArn: string): Promise<string[]> {
    let accounts = this.provisioned.get(permissionSetArn);
    if (!accounts) {
      accounts = this.accountPages(
        permissionSetArn,
        this.firstPage?.arn === permissionSetArn ? this.firstPage : undefined,
      );
      this.provisioned.set(permissionSetArn, accounts);
    }
    return accounts;
  }

  /** The accounts, page after page, from `start` (a first page already read) when given. */
  private accountPages(
    permissionSetArn: string,
    start: { accounts: string[]; nextToken: string | undefined } | undefined,
  ): Promise<string[]> {
    return this.session.paginate(
      'ListAccountsForProvisionedPermissionSet',
      (nextToken) =>
        new ListAccountsForProvisionedPermissionSetCommand({
          InstanceArn: this.session.instance,
          PermissionSetArn: permissionSetArn,
          MaxResults: LIST_PAGE,
          NextToken: nextToken,
        }),
      (page) => page.AccountIds,
      start && { start: { items: start.accounts, nextToken: start.nextToken } },
    );
  }

  /** The calls left for this plan, supposing the other permission sets as widely provisioned as the first. */
  estimate(others: number): number {
    const firstCount = this.firstPage?.accounts.length ?? 0;
    const managedHere = this.scope.managedAccounts
      ? Math.min(firstCount, this.scope.managedAccounts.size)
      : firstCount;
    return others * pages(firstCount) + (others + 1) * managedHere + this.placesBeyondManaged();
  }

  /**
   * The desired places this plan reads besides the managed ones: each once, however many
   * assignments the manifest asks for there, and none a managed permission set's read covers.
   */
  private placesBeyondManaged(): number {
    const beyond = this.scope.desiredPlaces.filter((d) => !this.isManaged(d.accountId, d.permissionSetArn));
    return new Set(beyond.map((d) => placeKey(d.accountId, d.permissionSetArn))).size;
  }

  /** Every place this plan reads, and so every place the other plan must keep. */
  wanted(): (a: ReadAssignment) => boolean {
    const desired = new Set(this.scope.desiredPlaces.map((d) => placeKey(d.accountId, d.permissionSetArn)));
    return (a) =>
      this.isManaged(a.accountId, a.permissionSetArn) ||
      desired.has(placeKey(a.accountId, a.permissionSetArn));
  }

  private isManaged(accountId: string, permissionSetArn: string): boolean {
    return (
      this.scope.managedPermissionSets.includes(permissionSetArn) &&
      (this.scope.managedAccounts?.has(accountId) ?? true)
    );
  }

  async all(): Promise<ReadAssignment[]> {
    const provisioned = await Promise.all(
      this.scope.managedPermissionSets.map(async (arn) => ({
        arn,
        accounts: await this.provisionedAccounts(arn),
      })),
    );
    const add = (accountId: string, permissionSetArn: string) => {
      if (ACCOUNT_ID.test(accountId))
        this.places.set(placeKey(accountId, permissionSetArn), { accountId, permissionSetArn });
    };
    for (const { arn, accounts } of provisioned)
      for (const accountId of accounts)
        if (this.scope.managedAccounts?.has(accountId) ?? true) add(accountId, arn);
    const provisionedTo = new Map(provisioned.map((p) => [p.arn, new Set(p.accounts)]));
    for (const d of this.scope.desiredPlaces) {
      // A managed permission set not provisioned to the account has no assignment there to read.
      if (provisionedTo.has(d.permissionSetArn) && !provisionedTo.get(d.permissionSetArn)!.has(d.accountId))
        continue;
      add(d.accountId, d.permissionSetArn);
    }
    const lists = await Promise.all(
      [...this.places.values()].map((place) =>
        this.session.paginate(
          'ListAccountAssignments',
          (nextToken) =>
            new ListAccountAssignmentsCommand({
              InstanceArn: this.session.instance,
              AccountId: place.accountId,
              PermissionSetArn: place.permissionSetArn,
              MaxResults: LIST_PAGE,
              NextToken: nextToken,
            }),
          (page) => page.AccountAssignments,
        ),
      ),
    );
    return checked(lists.flat(), (a) => this.places.has(placeKey(a.accountId, a.permissionSetArn)));
  }

  describe(): string {
    return `ListAccountsForProvisionedPermissionSet per managed permission set (${this.scope.managedPermissionSets.length}), then ListAccountAssignments per account × permission set (${this.places.size})`;
  }

  /**
   * The first permission set's size from one page: a full page means at least that many accounts,
   * which is all the choice needs; the rest is read only if this plan is chosen.
   */
  async sizeFirst(): Promise<void> {
    const [arn] = this.scope.managedPermissionSets;
    if (!arn) return;
    const page = await this.session.send(
      'ListAccountsForProvisionedPermissionSet',
      new ListAccountsForProvisionedPermissionSetCommand({
        InstanceArn: this.session.instance,
        PermissionSetArn: arn,
        MaxResults: LIST_PAGE,
      }),
    );
    this.firstPage = { arn, accounts: page.AccountIds ?? [], nextToken: page.NextToken };
  }
}

function report(
  assignments: ReadAssignment[],
  session: SsoSession,
  before: number,
  strategy: string,
  alternatives: ReadReport['alternatives'],
): { assignments: ReadAssignment[]; read: ReadReport } {
  return { assignments, read: { strategy, calls: totalCalls(session) - before, alternatives } };
}

/** Every call the session has made so far (attempts included, as the read figures count them). */
export function totalCalls(session: SsoSession): number {
  return Object.values(session.stats.calls).reduce((sum, n) => sum + n, 0);
}
