// Reads the action's inputs into a typed plan. Pure: every check happens here, before any
// network call, and every problem is reported at once with the input it concerns.
import { parseAzureScope, unsafePathReason, type AzureScope } from './azure-scope.js';
import { CloudAccessError, InputErrors } from './errors.js';
import { parseList, unique } from './lists.js';
import {
  ACCOUNT_ID,
  AWS_REGION,
  GUID,
  IAM_ROLE_ARN,
  IDENTITY_STORE_ID,
  IDENTITY_STORE_PRINCIPAL_ID,
  INSTANCE_ARN,
  PERMISSION_SET_ARN,
  PERMISSION_SET_NAME,
  PRINTABLE,
  ROLE_DEFINITION_ID,
  ROLE_NAME,
  ROLE_SESSION_NAME,
} from './patterns.js';
import type { Cloud, Grant, Operation } from './types.js';

export interface CommonPlan {
  operation: Operation;
  grants: Grant[];
  principalType: string;
  wait: boolean;
  timeoutSeconds: number;
  /** The post step's own budget, so a tight `timeout-seconds` never cuts cleanup short. */
  postTimeoutSeconds: number;
  revokeOnExit: boolean;
  dryRun: boolean;
  maxConcurrency: number;
  audience: string;
}

export interface AwsPlan extends CommonPlan {
  cloud: 'aws';
  principalType: 'USER' | 'GROUP';
  region: string;
  roleToAssume: string | undefined;
  roleSessionName: string;
  instanceArn: string | undefined;
  identityStoreId: string | undefined;
  onlyOutdated: boolean;
}

export type AzureEnvironmentName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';

export interface AzurePlan extends CommonPlan {
  cloud: 'azure';
  principalType: 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device';
  clientId: string | undefined;
  tenantId: string | undefined;
  environment: AzureEnvironmentName;
  authorityHost: string;
  resourceManagerEndpoint: string;
  /** The scope of the Entra token ARM accepts. */
  tokenScope: string;
  assignmentName: string | undefined;
  condition: string | undefined;
  conditionVersion: string | undefined;
  description: string;
  delegatedManagedIdentityResourceId: string | undefined;
  /** Normalised scopes by the target text they came from. */
  scopes: Record<string, AzureScope>;
}

export type Plan = AwsPlan | AzurePlan;

/** Reads one input as the runner passes it (`INPUT_<NAME>`), '' when absent. */
export type InputReader = (name: string) => string;

export const DEFAULT_AUDIENCE: Record<Cloud, string> = {
  aws: 'sts.amazonaws.com',
  azure: 'api://AzureADTokenExchange',
};

export const AZURE_ENVIRONMENTS: Record<
  AzureEnvironmentName,
  { authorityHost: string; resourceManagerEndpoint: string; tokenScope: string }
> = {
  AzureCloud: {
    authorityHost: 'https://login.microsoftonline.com',
    resourceManagerEndpoint: 'https://management.azure.com',
    tokenScope: 'https://management.azure.com/.default',
  },
  AzureUSGovernment: {
    authorityHost: 'https://login.microsoftonline.us',
    resourceManagerEndpoint: 'https://management.usgovcloudapi.net',
    tokenScope: 'https://management.usgovcloudapi.net/.default',
  },
  AzureChinaCloud: {
    authorityHost: 'https://login.chinacloudapi.cn',
    resourceManagerEndpoint: 'https://management.chinacloudapi.cn',
    tokenScope: 'https://management.chinacloudapi.cn/.default',
  },
};

const MAX_TIMEOUT_SECONDS = 6 * 60 * 60; // a GitHub-hosted job runs at most 6 hours
const MAX_CONCURRENCY = 100;
const MAX_GRANTS = 1000;
const AWS_PRINCIPAL_TYPES = ['USER', 'GROUP'] as const;
const AZURE_PRINCIPAL_TYPES = ['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device'] as const;

class Problems {
  readonly list: CloudAccessError[] = [];
  add(input: string, message: string, fix?: string): undefined {
    this.list.push(
      new CloudAccessError(`input \`${input}\`: ${message}`, { input, ...(fix ? { fix } : {}) }),
    );
    return undefined;
  }
}

function oneOf<T extends string>(
  problems: Problems,
  input: string,
  value: string,
  allowed: readonly T[],
  caseInsensitive = false,
): T | undefined {
  const found = allowed.find((a) =>
    caseInsensitive ? a.toLowerCase() === value.toLowerCase() : a === value,
  );
  return (
    found ?? problems.add(input, `\`${value}\` is not one of ${allowed.map((a) => `\`${a}\``).join(', ')}`)
  );
}

function booleanInput(problems: Problems, read: InputReader, input: string, fallback: boolean): boolean {
  const value = read(input).trim();
  if (value === '') return fallback;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  problems.add(input, `\`${value}\` is not a boolean`, 'use `true` or `false`');
  return fallback;
}

function integerInput(
  problems: Problems,
  read: InputReader,
  input: string,
  fallback: number,
  max: number,
): number {
  const value = read(input).trim();
  if (value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    problems.add(input, `\`${value}\` is not a whole number from 1 to ${max}`);
    return fallback;
  }
  return Number(value);
}

function httpsUrl(problems: Problems, input: string, value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:') return problems.add(input, `\`${value}\` must be an https URL`);
    if (url.username || url.password || url.search || url.hash) {
      return problems.add(
        input,
        `\`${value}\` must be a plain https URL without credentials, query or fragment`,
      );
    }
    return url.origin + url.pathname.replace(/\/+$/, '');
  } catch {
    return problems.add(input, `\`${value}\` is not a URL`);
  }
}

/** The workflow context the defaults are derived from (GITHUB_* variables of the runner). */
export interface WorkflowContext {
  repository?: string | undefined;
  workflow?: string | undefined;
  runId?: string | undefined;
  runAttempt?: string | undefined;
  serverUrl?: string | undefined;
}

export function workflowContextFromEnv(env: NodeJS.ProcessEnv): WorkflowContext {
  return {
    repository: env.GITHUB_REPOSITORY,
    workflow: env.GITHUB_WORKFLOW,
    runId: env.GITHUB_RUN_ID,
    runAttempt: env.GITHUB_RUN_ATTEMPT,
    serverUrl: env.GITHUB_SERVER_URL,
  };
}

export function parseInputs(
  read: InputReader,
  env: NodeJS.ProcessEnv = {},
  context: WorkflowContext = workflowContextFromEnv(env),
): Plan {
  const problems = new Problems();
  const cloudText = read('cloud').trim();
  const cloud =
    cloudText === ''
      ? problems.add('cloud', 'is required', 'set it to `aws` or `azure`')
      : oneOf(problems, 'cloud', cloudText.toLowerCase(), ['aws', 'azure'] as const);
  const operationText = read('operation').trim() || 'assign';
  const operation = oneOf(problems, 'operation', operationText.toLowerCase(), [
    'assign',
    'revoke',
    'provision',
  ] as const);
  if (cloud === 'azure' && operation === 'provision') {
    problems.add(
      'operation',
      '`provision` re-provisions AWS permission sets and exists only for `cloud: aws`',
      'use `assign` or `revoke`',
    );
  }

  const common = {
    operation: operation ?? 'assign',
    wait: booleanInput(problems, read, 'wait', true),
    timeoutSeconds: integerInput(problems, read, 'timeout-seconds', 300, MAX_TIMEOUT_SECONDS),
    postTimeoutSeconds: integerInput(problems, read, 'post-timeout-seconds', 300, MAX_TIMEOUT_SECONDS),
    revokeOnExit: booleanInput(problems, read, 'revoke-on-exit', false),
    dryRun: booleanInput(problems, read, 'dry-run', false),
    maxConcurrency: integerInput(problems, read, 'max-concurrency', 10, MAX_CONCURRENCY),
  };
  if (common.revokeOnExit && common.operation !== 'assign') {
    problems.add('revoke-on-exit', `applies to \`operation: assign\` only, not \`${common.operation}\``);
  }

  const principals = listInput(problems, read, 'principal', common.operation !== 'provision');
  const targets = listInput(problems, read, 'target', true);
  const roles = listInput(problems, read, 'role', true);

  let plan: Plan | undefined;
  if (cloud === 'aws') {
    plan = parseAwsInputs(problems, read, env, context, { ...common, principals, targets, roles });
  } else if (cloud === 'azure') {
    plan = parseAzureInputs(problems, read, env, context, { ...common, principals, targets, roles });
  }
  if (problems.list.length > 0 || !plan) throw new InputErrors(problems.list);
  return plan;
}

function listInput(problems: Problems, read: InputReader, input: string, required: boolean): string[] {
  const raw = read(input);
  const values = parseList(raw);
  if (values.length === 0 && required) {
    problems.add(
      input,
      raw.trim() === '' ? 'is required' : 'holds no values',
      'give one or more values, separated by newlines or commas',
    );
  }
  for (const value of values) {
    if (!PRINTABLE.test(value) || value.length > 2048)
      problems.add(input, `\`${printable(value)}\` contains control characters or is too long`);
  }
  return values;
}

/** Shows a rejected value without letting it forge log lines or workflow commands. */
function printable(value: string): string {
  const shown = value.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '?');
  return shown.length > 80 ? `${shown.slice(0, 80)}…` : shown;
}

interface Lists {
  principals: string[];
  targets: string[];
  roles: string[];
}

/**
 * Every principal × target × role, duplicates dropped. The count comes from the list lengths
 * first: a few kilobytes of input can describe billions of grants, which must be refused before a
 * single one is built.
 */
function crossProduct(problems: Problems, lists: Lists, operation: Operation): Grant[] {
  const principals = unique(lists.principals);
  const targets = unique(lists.targets);
  const roles = unique(lists.roles);
  const count =
    operation === 'provision'
      ? targets.length * roles.length
      : principals.length * targets.length * roles.length;
  if (count > MAX_GRANTS) {
    const product =
      operation === 'provision'
        ? `target × role is ${targets.length} × ${roles.length}`
        : `principal × target × role is ${principals.length} × ${targets.length} × ${roles.length}`;
    problems.add(
      operation === 'provision' ? 'target' : 'principal',
      `${product} = ${count} grants; at most ${MAX_GRANTS} fit in one step`,
      'split the lists over several steps',
    );
    return [];
  }
  if (operation === 'provision')
    return targets.flatMap((target) => roles.map((role) => ({ principal: '', target, role })));
  return principals.flatMap((principal) =>
    targets.flatMap((target) => roles.map((role) => ({ principal, target, role }))),
  );
}

function parseAwsInputs(
  problems: Problems,
  read: InputReader,
  env: NodeJS.ProcessEnv,
  context: WorkflowContext,
  common: Omit<CommonPlan, 'grants' | 'principalType' | 'audience'> & Lists,
): AwsPlan {
  const principalType =
    oneOf(problems, 'principal-type', read('principal-type').trim() || 'USER', AWS_PRINCIPAL_TYPES, true) ??
    'USER';
  const region = read('aws-region').trim() || env.AWS_REGION || env.AWS_DEFAULT_REGION || '';
  if (region === '')
    problems.add(
      'aws-region',
      'is required (or set `AWS_REGION`)',
      'use the Region of your IAM Identity Center instance, e.g. `us-east-1`',
    );
  else if (!AWS_REGION.test(region))
    problems.add('aws-region', `\`${printable(region)}\` is not an AWS Region name like \`us-east-1\``);

  const roleToAssume = read('role-to-assume').trim() || undefined;
  if (roleToAssume && !IAM_ROLE_ARN.test(roleToAssume)) {
    problems.add(
      'role-to-assume',
      `\`${printable(roleToAssume)}\` is not an IAM role ARN`,
      'use `arn:<partition>:iam::<12-digit account>:role/<name>`',
    );
  }
  const defaultSession = `cloud-access-${context.runId ?? 'local'}-${context.runAttempt ?? '1'}`;
  const roleSessionName = read('role-session-name').trim() || defaultSession;
  if (!ROLE_SESSION_NAME.test(roleSessionName)) {
    problems.add(
      'role-session-name',
      `\`${printable(roleSessionName)}\` must be 2–64 characters of letters, digits and \`+=,.@_-\``,
    );
  }
  const instanceArn = read('instance-arn').trim() || undefined;
  if (instanceArn && !INSTANCE_ARN.test(instanceArn)) {
    problems.add(
      'instance-arn',
      `\`${printable(instanceArn)}\` is not an IAM Identity Center instance ARN`,
      'use `arn:aws:sso:::instance/ssoins-<16 characters>` (any partition), or omit it to discover the instance',
    );
  }
  const identityStoreId = read('identity-store-id').trim() || undefined;
  if (identityStoreId && !IDENTITY_STORE_ID.test(identityStoreId)) {
    problems.add(
      'identity-store-id',
      `\`${printable(identityStoreId)}\` is not an identity store ID like \`d-1234567890\``,
    );
  }

  const isProvision = common.operation === 'provision';
  for (const target of common.targets) {
    if (isProvision && target === 'ALL_PROVISIONED_ACCOUNTS') continue;
    if (!ACCOUNT_ID.test(target)) {
      problems.add(
        'target',
        `\`${printable(target)}\` is not a 12-digit AWS account ID`,
        isProvision ? 'use account IDs or `ALL_PROVISIONED_ACCOUNTS`' : undefined,
      );
    }
  }
  if (isProvision && common.targets.includes('ALL_PROVISIONED_ACCOUNTS') && common.targets.length > 1) {
    problems.add(
      'target',
      '`ALL_PROVISIONED_ACCOUNTS` already covers every account; list accounts or use it alone',
    );
  }
  for (const role of common.roles) {
    if (isProvision && role === '*') continue;
    if (role.startsWith('arn:')) {
      if (!PERMISSION_SET_ARN.test(role)) {
        problems.add(
          'role',
          `\`${printable(role)}\` is not a permission set ARN`,
          'use `arn:aws:sso:::permissionSet/ssoins-<16>/ps-<16>` (any partition) or the permission set name',
        );
      }
    } else if (!PERMISSION_SET_NAME.test(role)) {
      problems.add(
        'role',
        `\`${printable(role)}\` is neither a permission set ARN nor a name (1–32 of letters, digits and \`+=,.@_-\`)`,
      );
    }
  }
  if (isProvision && common.roles.includes('*') && common.roles.length > 1) {
    problems.add('role', '`*` already means every permission set; list permission sets or use it alone');
  }
  if (isProvision && common.principals.length > 0) {
    problems.add(
      'principal',
      '`provision` applies to permission sets and accounts, not principals',
      'remove `principal`',
    );
  }
  for (const principal of common.principals) {
    if (
      !IDENTITY_STORE_PRINCIPAL_ID.test(principal) &&
      !/^[\p{L}\p{M}\p{S}\p{N}\p{P} ]{1,128}$/u.test(principal)
    ) {
      problems.add(
        'principal',
        `\`${printable(principal)}\` is neither an Identity Store ID nor a user name or group display name`,
      );
    }
  }
  const audience = read('audience').trim() || DEFAULT_AUDIENCE.aws;
  return {
    ...common,
    cloud: 'aws',
    grants: crossProduct(problems, common, common.operation),
    principalType: principalType.toUpperCase() as AwsPlan['principalType'],
    audience,
    region,
    roleToAssume,
    roleSessionName,
    instanceArn,
    identityStoreId,
    onlyOutdated: booleanInput(problems, read, 'only-outdated', true),
  };
}

function parseAzureInputs(
  problems: Problems,
  read: InputReader,
  env: NodeJS.ProcessEnv,
  context: WorkflowContext,
  common: Omit<CommonPlan, 'grants' | 'principalType' | 'audience'> & Lists,
): AzurePlan {
  const principalType =
    oneOf(problems, 'principal-type', read('principal-type').trim() || 'User', AZURE_PRINCIPAL_TYPES, true) ??
    'User';
  const principals = common.principals.map((p) => {
    if (!GUID.test(p))
      problems.add(
        'principal',
        `\`${printable(p)}\` is not an Entra object ID (a GUID)`,
        'pass the object ID of the user, group or service principal',
      );
    return p.toLowerCase();
  });
  const scopes: Record<string, AzureScope> = {};
  const targets = common.targets.map((t) => {
    const parsed = parseAzureScope(t);
    if (typeof parsed === 'string') {
      problems.add(
        'target',
        `\`${printable(t)}\` is not an Azure scope: ${parsed}`,
        'use /subscriptions/{id}, /subscriptions/{id}/resourceGroups/{name}, a resource ID, or /providers/Microsoft.Management/managementGroups/{id}',
      );
      return t;
    }
    scopes[parsed.scope] = parsed;
    return parsed.scope;
  });
  const roles = common.roles.map((r) => {
    if (GUID.test(r)) return r.toLowerCase();
    if (ROLE_DEFINITION_ID.test(r)) {
      const unsafe = unsafePathReason(r);
      if (unsafe) problems.add('role', `\`${printable(r)}\` is not a role definition ID: ${unsafe}`);
      return r;
    }
    if (r.includes('/') || /^[0-9a-f-]{30,}$/i.test(r)) {
      problems.add(
        'role',
        `\`${printable(r)}\` is not a role definition GUID or ID`,
        'use the GUID, /subscriptions/{id}/providers/Microsoft.Authorization/roleDefinitions/{GUID}, or the role name',
      );
    } else if (!ROLE_NAME.test(r)) {
      problems.add(
        'role',
        `\`${printable(r)}\` is not a role name (letters, digits, spaces and . _ ( ) & / , : + -)`,
      );
    }
    return r;
  });

  const environmentText = read('environment').trim() || 'AzureCloud';
  const environment =
    oneOf(
      problems,
      'environment',
      environmentText,
      Object.keys(AZURE_ENVIRONMENTS) as AzureEnvironmentName[],
      true,
    ) ?? 'AzureCloud';
  const endpoints = AZURE_ENVIRONMENTS[environment];
  const authorityOverride = read('authority-host').trim();
  const armOverride = read('resource-manager-endpoint').trim();
  const authorityHost = authorityOverride
    ? (httpsUrl(problems, 'authority-host', authorityOverride) ?? '')
    : endpoints.authorityHost;
  const resourceManagerEndpoint = armOverride
    ? (httpsUrl(problems, 'resource-manager-endpoint', armOverride) ?? '')
    : endpoints.resourceManagerEndpoint;
  const tokenScope = armOverride ? `${resourceManagerEndpoint}/.default` : endpoints.tokenScope;

  const clientId = read('client-id').trim() || env.AZURE_CLIENT_ID || undefined;
  const tenantId = read('tenant-id').trim() || env.AZURE_TENANT_ID || undefined;
  if (clientId && !GUID.test(clientId))
    problems.add('client-id', `\`${printable(clientId)}\` is not an application (client) ID GUID`);
  if (tenantId && !GUID.test(tenantId) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(tenantId)) {
    problems.add('tenant-id', `\`${printable(tenantId)}\` is not a tenant ID GUID or domain`);
  }
  if (Boolean(clientId) !== Boolean(tenantId)) {
    problems.add(
      clientId ? 'tenant-id' : 'client-id',
      'is required when the other of `client-id` / `tenant-id` is set',
      'give both to exchange the GitHub OIDC token, or neither to use the ambient Azure credential',
    );
  }

  const assignmentName = read('assignment-name').trim() || undefined;
  if (assignmentName && !GUID.test(assignmentName))
    problems.add('assignment-name', `\`${printable(assignmentName)}\` is not a GUID`);
  if (assignmentName && principals.length * targets.length * roles.length > 1) {
    problems.add(
      'assignment-name',
      'names a single role assignment, but the lists make several',
      'omit it to use deterministic names',
    );
  }
  const condition = read('condition').trim() || undefined;
  if (condition !== undefined) {
    if (condition.length > 8192) problems.add('condition', 'is longer than 8192 characters');
    // Newlines and tabs are fine in a multi-line condition; other control characters are not.
    if (/[^\P{Cc}\n\r\t]/u.test(condition)) problems.add('condition', 'contains control characters');
    if (
      !/@(Resource|Request|Principal|Environment)\[|ActionMatches\{|SubOperationMatches\{/.test(condition)
    ) {
      problems.add(
        'condition',
        'is not an Azure ABAC condition expression',
        'see https://learn.microsoft.com/azure/role-based-access-control/conditions-format',
      );
    }
  }
  const conditionVersionText = read('condition-version').trim();
  if (conditionVersionText && conditionVersionText !== '2.0')
    problems.add('condition-version', `\`${printable(conditionVersionText)}\` is not supported; use \`2.0\``);
  if (conditionVersionText && !condition) problems.add('condition-version', 'is set without a `condition`');
  const conditionVersion = condition ? conditionVersionText || '2.0' : undefined;

  const delegated = read('delegated-managed-identity-resource-id').trim() || undefined;
  if (delegated) {
    const parsed = parseAzureScope(delegated);
    if (typeof parsed === 'string' || parsed.kind !== 'resource') {
      problems.add(
        'delegated-managed-identity-resource-id',
        `\`${printable(delegated)}\` is not a managed identity resource ID${typeof parsed === 'string' ? `: ${parsed}` : ''}`,
      );
    }
  }
  const defaultDescription = [
    'Granted by cloud-access',
    context.repository ? `for ${context.repository}` : '',
    context.workflow ? `workflow "${context.workflow}"` : '',
    context.runId ? `run ${context.runId}${context.runAttempt ? ` attempt ${context.runAttempt}` : ''}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const description = read('description').trim() || defaultDescription;
  if (description.length > 2048) problems.add('description', 'is longer than 2048 characters');

  const lists = { principals, targets, roles };
  return {
    ...common,
    cloud: 'azure',
    grants: crossProduct(problems, lists, common.operation),
    principalType: principalType as AzurePlan['principalType'],
    audience: read('audience').trim() || DEFAULT_AUDIENCE.azure,
    clientId,
    tenantId,
    environment,
    authorityHost,
    resourceManagerEndpoint,
    tokenScope,
    assignmentName,
    condition,
    conditionVersion,
    description,
    delegatedManagedIdentityResourceId: delegated,
    scopes,
  };
}
