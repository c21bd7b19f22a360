// The reads behind OU, root and path targets: AWS Organizations' ListRoots, and for each root or
// OU its child OUs and its accounts, every page. Made through the engine's call runner (retry,
// deadline, counting) with a pace of their own: Organizations' quota is not IAM Identity Center's.
import {
  DescribeOrganizationalUnitCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  type OrganizationsClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-organizations';
import type { Command } from '@aws-sdk/types';
import { CloudAccessError } from '../../core/errors.js';
import { ACTIVE, expandAwsTargets, type TargetExpansion } from '../../core/inputs/org-expansion.js';
import type { Parsed } from '../../core/inputs/grants.js';
import {
  OU_ID,
  ROOT_ID,
  type AwsTarget,
  type OrgChildren,
  type OrgUnit,
} from '../../core/inputs/org-targets.js';
import { ACCOUNT_ID } from '../../core/patterns.js';
import type { CallRunner } from '../../engine/calls/call-runner.js';
import type { AdapterDeps, CallStats } from '../../engine/calls/driver.js';
import { RateLimiter } from '../../engine/limits/limits.js';
import { SharedReads } from '../../engine/limits/shared-reads.js';
import type { AwsClients } from '../sdk/clients.js';
import { createAwsCallRunner } from '../sdk/aws-errors.js';
import { paginate } from '../sdk/paginate.js';
import { explainedOrganizationsError, type IdsIn } from './organizations-errors.js';

/**
 * Organizations documents throttling (TooManyRequestsException, retried with backoff) but no
 * per-operation rate for these reads: 10 a second, with a burst of 5, keeps a walk of a large
 * organization well inside what the console and the CLI's paginators send, and the engine
 * retries a throttled read.
 */
export const ORGANIZATIONS_CALLS_PER_SECOND = 10;
export const ORGANIZATIONS_CALL_BURST = 5;
/** The model's largest page (MaxResults ≤ 20): fewest calls per parent. */
const PAGE_SIZE = 20;

type OrganizationsCommand<I extends ServiceInputTypes, O extends ServiceOutputTypes> = Command<
  ServiceInputTypes,
  I,
  ServiceOutputTypes,
  O,
  OrganizationsClientResolvedConfig
>;

/** A reader over the session's clients (same credentials), counting its calls in the session's stats. */
export function createOrganizationsReader(
  clients: Pick<AwsClients, 'organizations'>,
  deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>,
  stats: CallStats,
): OrganizationsReader {
  const call = createAwsCallRunner(
    deps,
    stats,
    new RateLimiter(ORGANIZATIONS_CALLS_PER_SECOND, ORGANIZATIONS_CALL_BURST),
  );
  return new OrganizationsReader(clients, call);
}

export class OrganizationsReader {
  /** Each parent is listed once per step, however many targets reach it. */
  private readonly reads = new SharedReads();
  /** Every account's name the listings answered, by ID: the plan shows them beside the IDs. */
  readonly accountNames = new Map<string, string>();
  /** Every account's status the listings answered, by ID (`ACTIVE`, `SUSPENDED`…; org-targets.ts OrgAccount). */
  readonly accountStatuses = new Map<string, string>();

  constructor(
    private readonly clients: Pick<AwsClients, 'organizations'>,
    /** A call runner paced at ORGANIZATIONS_CALLS_PER_SECOND. */
    private readonly call: CallRunner,
  ) {}

  /** Expands account, OU, root and path targets into accounts (core/inputs/org-expansion.ts). */
  expandTargets(targets: Parsed<AwsTarget>[]): Promise<TargetExpansion> {
    return expandAwsTargets(targets, {
      root: () => this.reads.get('root', () => this.root()),
      children: (parentId) => this.reads.get(`children:${parentId}`, () => this.children(parentId)),
      describe: (ouId) => this.reads.get(`ou:${ouId}`, () => this.describe(ouId)),
    });
  }

  /**
   * Every account's name in the organization (ListAccounts, every page), for the rows of a report
   * whose accounts no target expansion named. Only names are kept: an account listed here is never
   * a target of anything.
   */
  async nameEveryAccount(): Promise<void> {
    const accounts = await this.reads.get('every account', () =>
      this.paginate(
        'ListAccounts',
        (NextToken) => new ListAccountsCommand({ NextToken, MaxResults: PAGE_SIZE }),
        (page) => page.Accounts,
      ),
    );
    this.learn(accounts);
  }

  /** The names and statuses a listing answered, for the plan. */
  private learn(accounts: { Id?: string; Name?: string; Status?: string; State?: string }[]): void {
    for (const a of accounts) {
      if (a.Id && a.Name) this.accountNames.set(a.Id, a.Name);
      if (a.Id) this.accountStatuses.set(a.Id, accountStatus(a));
    }
  }

  private async root(): Promise<OrgUnit> {
    const roots = await this.paginate(
      'ListRoots',
      (NextToken) => new ListRootsCommand({ NextToken, MaxResults: PAGE_SIZE }),
      (page) => page.Roots,
    );
    // An organization has exactly one root (Organizations User Guide).
    const root = roots.find((r) => r.Id && ROOT_ID.test(r.Id));
    if (!root?.Id) throw new CloudAccessError('Organizations listed no root for this organization');
    return { id: root.Id, name: root.Name ?? 'Root' };
  }

  /** An OU target's name, for the log and summary; an OU the organization lacks fails here. */
  private async describe(ouId: string): Promise<OrgUnit> {
    const { OrganizationalUnit: unit } = await this.send(
      'DescribeOrganizationalUnit',
      new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ouId }),
    );
    return { id: ouId, name: unit?.Name ?? ouId };
  }

  /** A root's or OU's child OUs and accounts, both listings read at once. */
  private async children(parentId: string): Promise<OrgChildren> {
    const [units, accounts] = await Promise.all([
      this.paginate(
        'ListOrganizationalUnitsForParent',
        (NextToken) =>
          new ListOrganizationalUnitsForParentCommand({
            ParentId: parentId,
            NextToken,
            MaxResults: PAGE_SIZE,
          }),
        (page) => page.OrganizationalUnits,
      ),
      this.paginate(
        'ListAccountsForParent',
        (NextToken) =>
          new ListAccountsForParentCommand({ ParentId: parentId, NextToken, MaxResults: PAGE_SIZE }),
        (page) => page.Accounts,
      ),
    ]);
    this.learn(accounts);
    return {
      // Only IDs of the model's patterns are walked or granted to: nothing the service says
      // reaches a grant unless it is the shape an input would have had to be.
      units: units.flatMap((u) => (u.Id && OU_ID.test(u.Id) ? [{ id: u.Id, name: u.Name ?? '' }] : [])),
      accounts: accounts.flatMap((a) =>
        a.Id && ACCOUNT_ID.test(a.Id) ? [{ id: a.Id, name: a.Name ?? '', status: accountStatus(a) }] : [],
      ),
    };
  }

  /** Every item of a listing (aws/sdk/paginate.ts); a NextToken answered twice names the parent listed. */
  private paginate<
    I extends ServiceInputTypes,
    O extends ServiceOutputTypes & { NextToken?: string | undefined },
    T,
  >(
    operation: string,
    makeCommand: (nextToken: string | undefined) => OrganizationsCommand<I, O>,
    pick: (page: O) => T[] | undefined,
  ): Promise<T[]> {
    let command: OrganizationsCommand<I, O> | undefined;
    return paginate(
      operation,
      (nextToken) => this.send(operation, (command = makeCommand(nextToken))),
      pick,
      {
        repeated: () =>
          new CloudAccessError(
            `Organizations answered the same NextToken twice for ${operation}${parentOf(command!)}: the listing would never end; nothing was granted or revoked`,
            { input: 'target', fix: 're-run later; if it persists, name the account IDs instead of the OU' },
          ),
      },
    );
  }

  private async send<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
    operation: string,
    command: OrganizationsCommand<I, O>,
  ): Promise<O> {
    try {
      return await this.call(operation, async (signal) =>
        (await this.clients.organizations()).send(command, { abortSignal: signal }),
      );
    } catch (error) {
      throw explainedOrganizationsError(error, operation, command.input as IdsIn);
    }
  }
}

/**
 * ACTIVE only when the account says so: `Status` in the model this adapter was built on, `State`
 * in newer APIs; an account with neither is not granted to.
 */
function accountStatus(account: { Status?: string | undefined; State?: string | undefined }): string {
  const state = account.State ?? account.Status;
  return state === ACTIVE && (account.Status ?? ACTIVE) === ACTIVE ? ACTIVE : (state ?? 'UNKNOWN');
}

const parentOf = (command: { input: unknown }): string => {
  const parent = (command.input as IdsIn).ParentId;
  return parent ? ` of ${parent}` : '';
};
