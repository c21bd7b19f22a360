// What an AWS audit record calls its IDs where the step's reads did not say: an account by its AWS
// Organizations name (DescribeAccount, one per account a record names), a permission set by its
// name (DescribePermissionSet, one per set). Read only by a step with `audit-log`, for its records,
// within the labels budget (engine/limits/best-effort.ts), on the step's own credentials. A read the
// step's identity is denied leaves the ID, and the step is told once what to allow. The names are
// server text: a record holds them as JSON data.
import { DescribeAccountCommand } from '@aws-sdk/client-organizations';
import { DescribePermissionSetCommand } from '@aws-sdk/client-sso-admin';
import { describeError } from '../core/errors.js';
import type { AwsSessionSettings } from '../core/inputs/index.js';
import { ACCOUNT_ID, PERMISSION_SET_ARN } from '../core/patterns.js';
import { BatchedNames, type RecordNamer } from '../engine/audit/names.js';
import type { AuditRecord } from '../engine/audit/record.js';
import type { CallRunner } from '../engine/calls/call-runner.js';
import { emptyStats, type AdapterDeps, type CallStats } from '../engine/calls/driver.js';
import { LabelsBudget, withinBudget } from '../engine/limits/best-effort.js';
import { RateLimiter } from '../engine/limits/limits.js';
import { ORGANIZATIONS_CALL_BURST, ORGANIZATIONS_CALLS_PER_SECOND } from './directory/organizations.js';
import { createAwsCallRunner, isAwsError } from './sdk/aws-errors.js';
import { createAwsClients, type AwsClients } from './sdk/clients.js';

/** Names read at once, at most: one call each (neither read takes several IDs). */
const BATCH = 20;
/** DescribePermissionSet's share of IAM Identity Center's collective 20 TPS, which the grants need more. */
const DESCRIBES_PER_SECOND = 4;

/** The namer of a step's records, on clients signed in as the step's (one STS exchange for all). */
export function createAwsRecordNamer(
  settings: AwsSessionSettings,
  deps: AdapterDeps,
  notice: (message: string) => void,
): RecordNamer {
  return awsRecordNamer(createAwsClients(settings, deps), deps, notice);
}

export function awsRecordNamer(
  clients: Pick<AwsClients, 'organizations' | 'ssoAdmin'>,
  deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>,
  notice: (message: string) => void,
): RecordNamer {
  const reads: Reads = { clients, deps, stats: emptyStats(), budget: new LabelsBudget(deps.deadline) };
  const told = new Set<string>();
  const tell = (what: string, message: string) => {
    if (told.has(what)) return;
    told.add(what);
    notice(`audit-log: ${message}`);
  };
  const accounts = accountNames(reads, (message) => tell('accounts', message));
  const permissionSets = permissionSetNames(reads, (message) => tell('permission sets', message));
  return {
    async namesOf(record: AuditRecord) {
      if (record.cloud !== 'aws') return {};
      const account = unnamedId(record.target, ACCOUNT_ID);
      const arn = unnamedId(record.role, PERMISSION_SET_ARN);
      const [target, role] = await Promise.all([
        account && accounts.nameOf(account),
        arn && permissionSets.nameOf(arn),
      ]);
      return { ...(target ? { target } : {}), ...(role ? { role } : {}) };
    },
  };
}

/** What the reads of names share: the step's clients and deadline, one labels budget. */
interface Reads {
  clients: Pick<AwsClients, 'organizations' | 'ssoAdmin'>;
  deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>;
  stats: CallStats;
  budget: LabelsBudget;
}

/** Accounts by their Organizations names, paced as Organizations' other reads. */
function accountNames({ clients, deps, stats, budget }: Reads, tell: (message: string) => void): NameReads {
  const pace = new RateLimiter(ORGANIZATIONS_CALLS_PER_SECOND, ORGANIZATIONS_CALL_BURST);
  return new NameReads(
    createAwsCallRunner(deps, stats, pace),
    budget,
    async (call, id) => {
      const { Account } = await call('DescribeAccount', async (signal) =>
        (await clients.organizations()).send(new DescribeAccountCommand({ AccountId: id }), {
          abortSignal: signal,
        }),
      );
      // An answer about another account names nothing.
      return Account?.Id === id ? Account.Name : undefined;
    },
    (error) => {
      if (isAwsError(error, 'AccountNotFoundException')) return 'unnamed';
      if (isAwsError(error, 'AccessDeniedException'))
        tell(
          `the records name AWS accounts by ID alone: the step's identity may not read their names (${describeError(error)}); to name them, allow \`organizations:DescribeAccount\` (from the organization's management account or a delegated administrator account)`,
        );
      else if (isAwsError(error, 'AWSOrganizationsNotInUseException'))
        tell('the records name AWS accounts by ID alone: the account is not in an organization');
      else
        tell(
          `the records name some AWS accounts by ID alone: their names could not be read (${describeError(error)})`,
        );
      return 'stop';
    },
  );
}

/** Permission sets by name, one DescribePermissionSet each, in the instance their ARN names. */
function permissionSetNames(
  { clients, deps, stats, budget }: Reads,
  tell: (message: string) => void,
): NameReads {
  return new NameReads(
    createAwsCallRunner(deps, stats, new RateLimiter(DESCRIBES_PER_SECOND)),
    budget,
    async (call, arn) => {
      const instance = instanceOf(arn);
      if (!instance) return undefined;
      const { PermissionSet } = await call('DescribePermissionSet', (signal) =>
        clients.ssoAdmin.send(
          new DescribePermissionSetCommand({ InstanceArn: instance, PermissionSetArn: arn }),
          { abortSignal: signal },
        ),
      );
      return PermissionSet?.PermissionSetArn === undefined || PermissionSet.PermissionSetArn === arn
        ? PermissionSet?.Name
        : undefined;
    },
    (error) => {
      const denied = isAwsError(error, 'AccessDeniedException');
      tell(
        `the records name some permission sets by ARN alone: ${denied ? "the step's identity may not read their names" : 'their names could not be read'} (${describeError(error)})${denied ? '; to name them, allow `sso:DescribePermissionSet`' : ''}`,
      );
      return denied ? 'stop' : 'unnamed';
    },
  );
}

/** The ID of a record's field that has none of its name yet, when it has the shape asked. */
function unnamedId(field: AuditRecord['target'], shape: RegExp): string | undefined {
  return field?.name === undefined && field?.id !== undefined && shape.test(field.id) ? field.id : undefined;
}

/** The instance a permission set ARN names (`…:permissionSet/ssoins-…/ps-…` → `…:instance/ssoins-…`). */
function instanceOf(arn: string): string | undefined {
  const m = /^(arn:[^:]+:sso:::)permissionSet\/((?:sso)?ins-[^/]+)\//.exec(arn);
  return m ? `${m[1]}instance/${m[2]}` : undefined;
}

/**
 * One kind of name, read one call per ID, at most BATCH at once, within the labels budget. A
 * failure `stop`s every later read (a denied permission stays denied) or leaves its ID `unnamed`.
 */
class NameReads {
  private readonly names: BatchedNames;
  private stopped = false;

  constructor(
    call: CallRunner,
    budget: LabelsBudget,
    read: (call: CallRunner, id: string) => Promise<string | undefined>,
    failed: (error: unknown) => 'stop' | 'unnamed',
  ) {
    this.names = new BatchedNames(async (ids) => {
      const found = new Map<string, string>();
      if (this.stopped) return found;
      const reads = ids.map(async (id) => {
        if (this.stopped) return;
        try {
          const name = await read(call, id);
          if (name) found.set(id, name);
        } catch (error) {
          if (failed(error) === 'stop') this.stopped = true;
        }
      });
      await withinBudget(Promise.all(reads), budget.start()).catch((error: unknown) => {
        this.stopped = true;
        failed(error);
      });
      return found;
    }, BATCH);
  }

  nameOf(id: string): Promise<string | undefined> {
    return this.names.nameOf(id);
  }
}
