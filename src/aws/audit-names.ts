// What an AWS audit record calls its IDs where the step's reads did not say: an account by its AWS
// Organizations name (DescribeAccount, one per account a record names), a permission set by its
// name (DescribePermissionSet, one per set), a principal given by Identity Store ID by its user name
// or group display name (DescribeUser or DescribeGroup, one per principal, in the identity store
// `identity-store-id` names or the instance's, one ListInstances away). Read only by a step with `audit-log`, for its records,
// within the labels budget (engine/limits/best-effort.ts), on the step's own credentials. A read the
// step's identity is denied leaves the ID, and the step is told once what to allow. The names are
// server text: a record holds them as JSON data.
import { DescribeGroupCommand, DescribeUserCommand } from '@aws-sdk/client-identitystore';
import { DescribeAccountCommand } from '@aws-sdk/client-organizations';
import { DescribePermissionSetCommand, ListInstancesCommand } from '@aws-sdk/client-sso-admin';
import { describeError } from '../core/errors.js';
import type { AwsSessionSettings } from '../core/inputs/index.js';
import { ACCOUNT_ID, IDENTITY_STORE_PRINCIPAL_ID, PERMISSION_SET_ARN } from '../core/patterns.js';
import { NameReads, type RecordNamer } from '../engine/audit/names.js';
import type { RecordBody } from '../engine/audit/record.js';
import { emptyStats, type AdapterDeps, type CallStats } from '../engine/calls/driver.js';
import { LabelsBudget } from '../engine/limits/best-effort.js';
import { RateLimiter } from '../engine/limits/limits.js';
import { ORGANIZATIONS_CALL_BURST, ORGANIZATIONS_CALLS_PER_SECOND } from './directory/organizations.js';
import { createAwsCallRunner, isAwsError } from './sdk/aws-errors.js';
import { createAwsClients, type AwsClients } from './sdk/clients.js';
import { chooseInstance } from './sso/instances.js';

/** Names read at once, at most: one call each (neither read takes several IDs). */
const BATCH = 20;
/** DescribePermissionSet's share of IAM Identity Center's collective 20 TPS, which the grants need more. */
const DESCRIBES_PER_SECOND = 4;
/** DescribeUser's and DescribeGroup's share of Identity Store's 20 TPS per API, which lookups by name need more. */
const STORE_DESCRIBES_PER_SECOND = 10;

/** Where the step's principals live: the identity store given, or the instance's (its Region, `instance-arn`). */
type StoreSettings = Pick<AwsSessionSettings, 'region' | 'identityStoreId' | 'instanceArn'>;

/** The namer of a step's records, on clients signed in as the step's (one STS exchange for all). */
export function createAwsRecordNamer(
  settings: AwsSessionSettings,
  deps: AdapterDeps,
  notice: (message: string) => void,
): RecordNamer {
  return awsRecordNamer(createAwsClients(settings, deps), deps, notice, settings);
}

export function awsRecordNamer(
  clients: Pick<AwsClients, 'organizations' | 'ssoAdmin' | 'identityStore'>,
  deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>,
  notice: (message: string) => void,
  store: StoreSettings,
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
  const principals = principalNames(reads, store, (message) => tell('principals', message));
  return {
    async namesOf(record: RecordBody) {
      if (record.cloud !== 'aws') return {};
      const account = unnamedId(record.target, ACCOUNT_ID);
      const arn = unnamedId(record.role, PERMISSION_SET_ARN);
      const principalId = unnamedId(record.principal, IDENTITY_STORE_PRINCIPAL_ID);
      const type = record.principal?.type;
      const [target, role, principal] = await Promise.all([
        account && accounts.nameOf(account),
        arn && permissionSets.nameOf(arn),
        principalId && (type === 'USER' || type === 'GROUP') && principals.nameOf(`${type}:${principalId}`),
      ]);
      return {
        ...(target ? { target } : {}),
        ...(role ? { role } : {}),
        ...(principal ? { principal } : {}),
      };
    },
  };
}

/** What the reads of names share: the step's clients and deadline, one labels budget. */
interface Reads {
  clients: Pick<AwsClients, 'organizations' | 'ssoAdmin' | 'identityStore'>;
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
    BATCH,
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
    BATCH,
  );
}

/**
 * Principals by their user names or group display names (keys `USER:id`, `GROUP:id`), one
 * DescribeUser or DescribeGroup each, in the identity store given or the instance's (one
 * ListInstances, as the step finds it: aws/sso/instances.ts).
 */
function principalNames(
  { clients, deps, stats, budget }: Reads,
  store: StoreSettings,
  tell: (message: string) => void,
): NameReads {
  const call = createAwsCallRunner(deps, stats, new RateLimiter(STORE_DESCRIBES_PER_SECOND));
  let storeId: Promise<string> | undefined;
  const identityStoreId = () =>
    (storeId ??= store.identityStoreId
      ? Promise.resolve(store.identityStoreId)
      : call('ListInstances', (signal) =>
          clients.ssoAdmin.send(new ListInstancesCommand({}), { abortSignal: signal }),
        ).then(({ Instances }) => {
          const id = chooseInstance(Instances ?? [], store.instanceArn, store.region).IdentityStoreId;
          if (!id) throw new Error('ListInstances named no identity store');
          return id;
        }));
  return new NameReads(
    call,
    budget,
    async (call, key) => {
      const [type, id] = key.split(':') as ['USER' | 'GROUP', string];
      const IdentityStoreId = await identityStoreId();
      const client = await clients.identityStore();
      if (type === 'USER') {
        const user = await call('DescribeUser', (signal) =>
          client.send(new DescribeUserCommand({ IdentityStoreId, UserId: id }), { abortSignal: signal }),
        );
        // An answer about another principal names nothing.
        return user.UserId === id ? user.UserName : undefined;
      }
      const group = await call('DescribeGroup', (signal) =>
        client.send(new DescribeGroupCommand({ IdentityStoreId, GroupId: id }), { abortSignal: signal }),
      );
      return group.GroupId === id ? group.DisplayName : undefined;
    },
    (error) => {
      if (isAwsError(error, 'ResourceNotFoundException')) return 'unnamed';
      const denied = isAwsError(error, 'AccessDeniedException');
      tell(
        `the records name some principals by ID alone: ${denied ? "the step's identity may not read their names" : 'their names could not be read'} (${describeError(error)})${denied ? '; to name them, allow `identitystore:DescribeUser` and `identitystore:DescribeGroup` (and `sso:ListInstances` without `identity-store-id`)' : ''}`,
      );
      return 'stop';
    },
    BATCH,
  );
}

/** The ID of a record's field that has none of its name yet, when it has the shape asked. */
function unnamedId(field: RecordBody['target'], shape: RegExp): string | undefined {
  return field?.name === undefined && field?.id !== undefined && shape.test(field.id) ? field.id : undefined;
}

/** The instance a permission set ARN names (`…:permissionSet/ssoins-…/ps-…` → `…:instance/ssoins-…`). */
function instanceOf(arn: string): string | undefined {
  const m = /^(arn:[^:]+:sso:::)permissionSet\/((?:sso)?ins-[^/]+)\//.exec(arn);
  return m ? `${m[1]}instance/${m[2]}` : undefined;
}
