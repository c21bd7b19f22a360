// The AWS inputs: Region and sign-in, the instance, and the principal, account and permission set
// lists, held to the patterns of the service models so that anything accepted the service accepts.
import { IDENTITY_STORE_PRINCIPAL_ID, PERMISSION_SET_ARN, PERMISSION_SET_NAME } from '../patterns.js';
import type { DeferredAwsGrants } from './org-expansion.js';
import { ALL_PROVISIONED_ACCOUNTS, needsExpansion, parseAwsTarget, type AwsTarget } from './org-targets.js';
import type { AwsGrant, AwsPrincipalRef, PermissionSetRef } from '../types.js';
import { awsSignIn, awsTimeBound } from './aws-sign-in.js';
import type {
  AwsConfig,
  CommonConfig,
  OperationRequest,
  ProvisionOperation,
  ProvisionRequest,
} from './config.js';
import { DEFAULT_AUDIENCE } from './endpoints.js';
import { readAwsEffectOptions } from './effect-inputs.js';
import { booleanInput, listSyntaxFix, oneOf, printable, type InputReader, type Problems } from './fields.js';
import { AWS_GRANT_KIND, crossProduct, withinBatchSize, type ListInputs, type Parsed } from './grants.js';

const PRINCIPAL_TYPES = ['USER', 'GROUP'] as const;
/** A user name or group display name: printable, 1–128 characters. */
const PRINCIPAL_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P} ]{1,128}$/u;

export function parseAwsInputs(
  problems: Problems,
  read: InputReader,
  env: NodeJS.ProcessEnv,
  common: CommonConfig & ListInputs,
  request: OperationRequest | { operation: 'provision' },
  now: () => number,
): AwsConfig {
  const principalType = (
    oneOf(problems, 'principal-type', read('principal-type').trim() || 'USER', PRINCIPAL_TYPES, true) ??
    'USER'
  ).toUpperCase() as AwsConfig['principalType'];
  // `duration` makes the grants ephemeral as revoke-on-exit does: the post step ends them with the
  // job (a dry run creates none), and the session name records their expiry for the sweep.
  const timeBound = awsTimeBound(problems, read, common.operation, now);
  const revokeOnExit = common.revokeOnExit || (timeBound !== undefined && !common.dryRun);
  const { warnings, ...signIn } = awsSignIn(problems, read, env, common.run, {
    ephemeral: revokeOnExit,
    expiresAt: timeBound?.expiresAt,
  });

  const isProvision = common.operation === 'provision';
  const { accounts, permissionSets, orgTargets, grants } = awsGrantLists(problems, common, isProvision);
  const audience = read('audience').trim() || DEFAULT_AUDIENCE.aws;
  const operation: OperationRequest | ProvisionOperation =
    request.operation === 'provision'
      ? { operation: 'provision', provision: provisionRequest(problems, accounts, permissionSets) }
      : request;
  return {
    ...common,
    ...operation,
    revokeOnExit,
    ...(timeBound ? { timeBound } : {}),
    ...(warnings.length > 0 ? { warnings: [...(common.warnings ?? []), ...warnings] } : {}),
    cloud: 'aws',
    grants,
    ...(orgTargets ? { orgTargets } : {}),
    principalType,
    audience,
    ...signIn,
    onlyOutdated: booleanInput(problems, read, 'only-outdated', true),
    ...readAwsEffectOptions(problems, read),
  };
}

/**
 * The principal, target and role lists as AWS takes them: every principal × account × permission
 * set of an assign or a revoke, or, with OU, root or path targets, what waits for their expansion
 * (core/inputs/org-expansion.ts); `provision` makes no grants, and keeps its accounts and sets.
 */
export function awsGrantLists(
  problems: Problems,
  lists: ListInputs,
  isProvision: boolean,
): {
  accounts: Parsed<string>[];
  permissionSets: Parsed<PermissionSetRef | '*'>[];
  orgTargets: DeferredAwsGrants | undefined;
  grants: AwsGrant[];
} {
  const targets = awsTargets(problems, lists.targets, isProvision);
  const accounts = targets.map((t) => ({ written: t.written, value: t.written }));
  const permissionSets = permissionSetRefs(problems, lists.roles, isProvision);
  if (isProvision && lists.principals.length > 0) {
    problems.add(
      'principal',
      '`provision` applies to permission sets and accounts, not principals',
      'remove `principal`',
    );
  }
  const principals = principalRefs(problems, lists.principals);
  // OU, root and path targets: the grants wait for Organizations to say which accounts they mean.
  const orgTargets: DeferredAwsGrants | undefined = targets.some((t) => needsExpansion(t.value))
    ? { targets, principals, permissionSets: permissionSets as Parsed<PermissionSetRef>[] }
    : undefined;
  const grants =
    isProvision || orgTargets
      ? []
      : crossProduct(
          problems,
          { principals, targets: accounts, roles: permissionSets },
          (written, principal, accountId, permissionSet) => ({
            cloud: 'aws' as const,
            kind: AWS_GRANT_KIND,
            written,
            principal,
            accountId,
            permissionSet: permissionSet as PermissionSetRef,
          }),
        );
  return { accounts, permissionSets, orgTargets, grants };
}

/**
 * Why quote account IDs: YAML reads an unquoted `012345678901` as a number, and the runner passes
 * the step `12345678901`, the leading zero gone.
 */
const QUOTE_ACCOUNT_IDS =
  "quote account IDs in the workflow, e.g. `target: '012345678901'`; unquoted, YAML reads one as a number and drops its leading zero";

/**
 * Account IDs, OU IDs, root IDs and OU paths (`Root/Workloads/Prod`), each checked for its shape
 * here, before any call; `provision` also takes ALL_PROVISIONED_ACCOUNTS.
 */
export function awsTargets(problems: Problems, targets: string[], isProvision: boolean): Parsed<AwsTarget>[] {
  const parsed: Parsed<AwsTarget>[] = [];
  for (const target of targets) {
    if (isProvision && target === ALL_PROVISIONED_ACCOUNTS) {
      parsed.push({ written: target, value: { kind: 'account', id: target } });
      continue;
    }
    const value = parseAwsTarget(target);
    if (!('problem' in value)) {
      parsed.push({ written: target, value });
      continue;
    }
    const fix = value.fix
      ? [value.fix]
      : [
          ...(isProvision ? [`use account IDs or \`${ALL_PROVISIONED_ACCOUNTS}\``] : []),
          accountIdFix(target, isProvision),
        ].filter(Boolean);
    problems.add(
      'target',
      `\`${printable(target)}\` ${value.problem}`,
      fix.length > 0 ? fix.join('; ') : undefined,
    );
  }
  if (isProvision && targets.includes(ALL_PROVISIONED_ACCOUNTS) && targets.length > 1) {
    problems.add(
      'target',
      `\`${ALL_PROVISIONED_ACCOUNTS}\` already covers every account; list accounts or use it alone`,
    );
  }
  return parsed;
}

/** What is wrong with a target that is not an account ID, by what it looks like. */
function accountIdFix(target: string, isProvision: boolean): string | undefined {
  // Several IDs in one value: the list syntax, not a lost zero, is what to fix.
  const list = listSyntaxFix('target', target, "'111111111111, 222222222222'");
  if (list) return list;
  // Fewer than 12 digits: most often an ID that YAML read as a number.
  if (/^\d{1,11}$/.test(target)) return QUOTE_ACCOUNT_IDS;
  if (target === ALL_PROVISIONED_ACCOUNTS && !isProvision)
    return `\`${ALL_PROVISIONED_ACCOUNTS}\` is for \`operation: provision\``;
  return undefined;
}

/** Permission set ARNs and names; provision also takes `*` (every permission set). */
export function permissionSetRefs(
  problems: Problems,
  roles: string[],
  isProvision: boolean,
): Parsed<PermissionSetRef | '*'>[] {
  const parsed = roles.map((role): Parsed<PermissionSetRef | '*'> => {
    if (isProvision && role === '*') return { written: role, value: '*' };
    if (role.startsWith('tag:')) {
      // Only the manifest's `manages` takes tag forms (../manifest/permission-set-tags.ts).
      problems.add(
        'role',
        `\`${printable(role)}\` chooses permission sets by tag, which only \`aws.manages.permission-sets\` of a reconcile manifest takes: an assignment is of one permission set, named`,
        'give the permission set name or ARN',
      );
      return { written: role, value: { kind: 'name', name: role } };
    }
    if (role.startsWith('arn:')) {
      if (!PERMISSION_SET_ARN.test(role)) {
        problems.add(
          'role',
          `\`${printable(role)}\` is not a permission set ARN`,
          'use `arn:aws:sso:::permissionSet/ssoins-<16>/ps-<16>` (any partition) or the permission set name',
        );
      }
      return { written: role, value: { kind: 'arn', arn: role } };
    }
    if (!PERMISSION_SET_NAME.test(role)) {
      problems.add(
        'role',
        `\`${printable(role)}\` is neither a permission set ARN nor a name (1–32 of letters, digits and \`+=,.@_-\`)`,
      );
    }
    return { written: role, value: { kind: 'name', name: role } };
  });
  if (isProvision && roles.includes('*') && roles.length > 1) {
    problems.add('role', '`*` already means every permission set; list permission sets or use it alone');
  }
  return parsed;
}

export function principalRefs(problems: Problems, principals: string[]): Parsed<AwsPrincipalRef>[] {
  return principals.map((principal) => {
    if (IDENTITY_STORE_PRINCIPAL_ID.test(principal))
      return { written: principal, value: { kind: 'id', id: principal } };
    if (!PRINCIPAL_NAME.test(principal)) {
      problems.add(
        'principal',
        `\`${printable(principal)}\` is neither an Identity Store ID nor a user name or group display name`,
      );
    }
    return { written: principal, value: { kind: 'name', name: principal } };
  });
}

function provisionRequest(
  problems: Problems,
  accounts: Parsed<string>[],
  permissionSets: Parsed<PermissionSetRef | '*'>[],
): ProvisionRequest {
  const distinctAccounts = [...new Set(accounts.map((a) => a.written))];
  const distinctSets = [...new Map(permissionSets.map((p) => [p.written, p.value])).values()];
  const sizes = [
    { name: 'target', length: distinctAccounts.length },
    { name: 'role', length: distinctSets.length },
  ];
  // Past the batch size the problem is reported, and parseInputs returns no config at all.
  withinBatchSize(problems, 'target', sizes);
  return {
    accounts: distinctAccounts.includes(ALL_PROVISIONED_ACCOUNTS)
      ? ALL_PROVISIONED_ACCOUNTS
      : distinctAccounts,
    permissionSets: distinctSets.includes('*') ? '*' : (distinctSets as PermissionSetRef[]),
  };
}
