// The first of reconcile's two complete read plans (./every-assignment.ts chooses): per permission set, the
// accounts it is provisioned to, then one ListAccountAssignments per account × permission set. Its
// cost is estimated from a few permission sets' first pages, which its own read then reuses.
import {
  ListAccountAssignmentsCommand,
  ListAccountsForProvisionedPermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import { ACCOUNT_ID } from '../../core/patterns.js';
import { checked, type ReadAssignment } from './principal-reads.js';
import type { SsoSession } from '../sso/session.js';
import { LIST_PAGE } from '../sdk/sso-calls.js';
import { SSO_ADMIN_CALLS_PER_WINDOW } from '../sso/quotas.js';
import { provisionedAccounts } from '../sso/provisioned-accounts.js';
import { mapWithConcurrency } from '../../engine/limits/limits.js';

export interface ReadScope {
  managedPermissionSets: string[];
  /** undefined: every account the permission sets are provisioned to. */
  managedAccounts: Set<string> | undefined;
  /** Where the manifest asks for assignments (outside what it manages too: an unchanged one is not re-created). */
  desiredPlaces: { accountId: string; permissionSetArn: string }[];
}

/**
 * Places listed at once. Two windows of the quota keep the rate limiter's queue full (the pace is
 * its, not this); every place sent at once would hold its command (each with a middleware stack of
 * its own), its promises and its wait for the whole read: a report of 1,600 places held about
 * 1,000 of them still waiting 30 s in, and its heap had grown to 57 MB in 5 s (33 MB bounded).
 */
const PLACES_AT_ONCE = 2 * SSO_ADMIN_CALLS_PER_WINDOW;

const pages = (items: number) => Math.max(1, Math.ceil(items / LIST_PAGE));
const placeKey = (accountId: string, permissionSetArn: string) => `${accountId}|${permissionSetArn}`;

/** The first plan: permission sets' accounts, then each account × permission set. */
export class PlaceReads {
  /** Permission sets' first pages of accounts read to size this plan, kept for its own read of them. */
  private readonly sized = new Map<string, { accounts: string[]; nextToken: string | undefined }>();
  private readonly provisioned = new Map<string, Promise<string[]>>();
  private readonly places = new Map<string, { accountId: string; permissionSetArn: string }>();
  constructor(
    private readonly session: SsoSession,
    private readonly scope: ReadScope,
  ) {}

  provisionedAccounts(permissionSetArn: string): Promise<string[]> {
    let accounts = this.provisioned.get(permissionSetArn);
    if (!accounts) {
      accounts = this.accountPages(permissionSetArn, this.sized.get(permissionSetArn));
      this.provisioned.set(permissionSetArn, accounts);
    }
    return accounts;
  }

  /** The accounts, page after page, from `start` (a first page already read) when given. */
  private accountPages(
    permissionSetArn: string,
    start: { accounts: string[]; nextToken: string | undefined } | undefined,
  ): Promise<string[]> {
    return provisionedAccounts(this.session, permissionSetArn, {
      pageSize: LIST_PAGE,
      ...(start ? { paging: { start: { items: start.accounts, nextToken: start.nextToken } } } : {}),
    });
  }

  /**
   * The calls left for this plan, supposing the permission sets not sized as widely provisioned as
   * the sized ones are on average (a full page: at least that many accounts).
   */
  estimate(): number {
    const counts = [...this.sized.values()].map((s) => s.accounts.length);
    const typical = counts.length > 0 ? counts.reduce((a, b) => a + b, 0) / counts.length : 0;
    const unsized = this.scope.managedPermissionSets.filter((arn) => !this.sized.has(arn)).length;
    const sized = counts.reduce((n, c) => n + this.managedHere(c), 0);
    return Math.ceil(
      sized + unsized * (pages(typical) + this.managedHere(typical)) + this.placesBeyondManaged(),
    );
  }

  /** Of `count` accounts, those the plan reads (at most the managed accounts). */
  private managedHere(count: number): number {
    return this.scope.managedAccounts ? Math.min(count, this.scope.managedAccounts.size) : count;
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
    return readAssignmentsAt(this.session, [...this.places.values()]);
  }

  describe(): string {
    return `ListAccountsForProvisionedPermissionSet per managed permission set (${this.scope.managedPermissionSets.length}), then ListAccountAssignments per account × permission set (${this.places.size})`;
  }

  /**
   * A permission set's size from one page: a full page means at least that many accounts, which is
   * all the choice needs; the rest is read only if this plan is chosen.
   */
  async size(arn: string): Promise<void> {
    if (this.sized.has(arn)) return;
    const page = await this.session.send(
      'ListAccountsForProvisionedPermissionSet',
      new ListAccountsForProvisionedPermissionSetCommand({
        InstanceArn: this.session.instance,
        PermissionSetArn: arn,
        MaxResults: LIST_PAGE,
      }),
    );
    this.sized.set(arn, { accounts: page.AccountIds ?? [], nextToken: page.NextToken });
  }
}

/**
 * The assignments at these places (account × permission set), each place's pages in turn, a
 * bounded number of places at once; any answer at a place not asked for is refused (checked).
 */
export async function readAssignmentsAt(
  session: SsoSession,
  places: readonly { accountId: string; permissionSetArn: string }[],
): Promise<ReadAssignment[]> {
  const asked = new Set(places.map((p) => placeKey(p.accountId, p.permissionSetArn)));
  const lists = await mapWithConcurrency([...places], PLACES_AT_ONCE, (place) =>
    session.paginate(
      'ListAccountAssignments',
      (nextToken) =>
        new ListAccountAssignmentsCommand({
          InstanceArn: session.instance,
          AccountId: place.accountId,
          PermissionSetArn: place.permissionSetArn,
          MaxResults: LIST_PAGE,
          NextToken: nextToken,
        }),
      (page) => page.AccountAssignments,
    ),
  );
  return checked(lists.flat(), (a) => asked.has(placeKey(a.accountId, a.permissionSetArn)));
}
