// A small HTTP control API under /_emulator/ on the GitHub server, so a person running the CLI
// can look at what the action did and inject faults without writing code.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsEmulator } from './aws/index.js';
import type { AzureEmulator } from './azure/index.js';
import { isGuid } from './azure/tenant/scope.js';
import { PRINCIPAL_TYPES } from './azure/tenant/directory.js';
import { DIRECTORY_USAGE, seedDirectory } from './azure/directory-seed.js';
import type { GithubOidcEmulator } from './github/oidc.js';
import type { GithubRunsEmulator } from './github/runs.js';
import { bodyOf, CONTROL_CALLS } from './control-calls.js';
import { handleMembersControl } from './control-members.js';
import { handlePolicyControl, heldPolicies } from './control-policies.js';
import { handleSweepControl } from './control-sweep.js';
import { ACCESS_POLICY, handleRequestControl } from './control-request.js';
import { handleEligibilityControl } from './control-eligibility.js';
import { handleResourceGroupControl } from './control-resource-groups.js';
import { handleReviewControl } from './control-review.js';
import type { GithubRepositoryEmulator } from './github/repository.js';
import { readBody, sendJson } from './common/http.js';
import { orgSeedFromSpecs } from './aws/organizations/org-seed.js';
import { OUTSTANDING_REFUSALS } from './aws/sso-admin/assignments.js';
import type { RequestRecord } from './common/requests.js';

export interface ControlTarget {
  aws: AwsEmulator;
  github: GithubOidcEmulator & {
    readonly runs: GithubRunsEmulator;
    readonly repository: GithubRepositoryEmulator;
    readonly issues: import('./github/issues-store.js').GithubIssuesEmulator;
  };
  azure?: AzureEmulator;
  requests: RequestRecord[];
  reset(): void;
}

export function snapshot(target: ControlTarget) {
  const { aws } = target;
  const state = aws.state;
  state.settle();
  return {
    instanceArn: aws.instanceArn,
    identityStoreId: aws.identityStoreId,
    permissionSets: [...state.permissionSets.values()].map((ps) => ({
      name: ps.name,
      arn: ps.arn,
      version: ps.version,
      provisionedAccounts: state.provisionedAccounts(ps.arn),
      // What it allows, for a demo that defines a permission set and changes its policy.
      sessionDuration: ps.sessionDuration,
      ...(ps.inlinePolicy !== undefined ? { inlinePolicy: ps.inlinePolicy } : {}),
      managedPolicies: ps.managedPolicies,
      customerManagedPolicies: ps.customerManagedPolicies,
      ...(ps.permissionsBoundary ? { permissionsBoundary: ps.permissionsBoundary } : {}),
      tags: ps.tags,
    })),
    customerManagedPolicies: heldPolicies(state),
    assignments: aws.assignments(),
    users: [...state.users.values()].map((u) => ({ userName: u.userName, userId: u.id })),
    groups: [...state.groups.values()].map((g) => ({ displayName: g.displayName, groupId: g.id })),
    inProgress: {
      creations: state.inProgress(state.creations).map((r) => r.requestId),
      deletions: state.inProgress(state.deletions).map((r) => r.requestId),
      provisionings: state.inProgress(state.provisionings).map((r) => r.requestId),
    },
    config: aws.config,
    faults: aws.faults,
    github: {
      claims: target.github.claims,
      faults: target.github.faults,
      tokensIssued: target.github.issuedTokens.length,
      runs: target.github.runs.runs(),
      rateLimit: target.github.runs.rateLimit,
      runsFaults: target.github.runs.faults,
      // Whether POST /_emulator/github/access-request has staged a request (its policy is there).
      accessPolicy: target.github.repository.fileAt(ACCESS_POLICY.branch, ACCESS_POLICY.path) !== undefined,
    },
    stats: aws.stats,
    cloudTrail: aws.cloudTrail,
    ...(target.azure
      ? {
          azure: {
            tenantId: target.azure.tenantId,
            subscriptionId: target.azure.subscriptionId,
            clientId: target.azure.clientId,
            roleAssignments: target.azure.roleAssignments(),
            pim: target.azure.pim(),
            eligibility: target.azure.eligibility(),
            groupPim: target.azure.groupPim(),
            config: target.azure.config,
            faults: target.azure.faults,
          },
        }
      : {}),
  };
}

const CONTROL_ROUTES = `control API: ${CONTROL_CALLS.map((c) => c.route).join(', ')} (npm run emulator -- --help spells out their bodies)`;

/**
 * Makes a permission set (by name or ARN) outdated in `accounts`, or wherever it is provisioned;
 * the CLI's --outdated and POST /_emulator/aws/outdated. Returns its ARN; throws when unknown.
 */
export function markOutdated(aws: AwsEmulator, permissionSet: string, accounts?: string[]): string {
  const arn = permissionSet.startsWith('arn:') ? permissionSet : aws.permissionSetArn(permissionSet);
  aws.markOutdated(arn, accounts);
  return arn;
}

/** A JSON object body, or undefined when the body is not one. */
async function jsonObject(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  try {
    const body = JSON.parse((await readBody(req)) || '{}') as unknown;
    return body && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
export async function handleControl(
  target: ControlTarget,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${url.pathname.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /_emulator/requests':
      return sendJson(res, 200, target.requests);
    case 'GET /_emulator/state':
      return sendJson(res, 200, snapshot(target));
    case 'GET /_emulator/aws/s3/objects':
      return sendJson(res, 200, s3Objects(target.aws, url.searchParams));
    case 'POST /_emulator/faults':
      return patchFaults(target, req, res);
    case 'POST /_emulator/config':
      return patchConfig(target, req, res);
    case 'POST /_emulator/aws/outdated':
      return markAwsOutdated(target, req, res, route);
    case 'POST /_emulator/aws/organization':
      return seedAwsOrganization(target, req, res, route);
    case 'POST /_emulator/azure/principals':
      return addAzurePrincipal(target, req, res, route);
    case 'POST /_emulator/azure/directory':
      return addAzureDirectoryObject(target, req, res);
    case 'POST /_emulator/reset':
      target.reset();
      return sendJson(res, 200, { reset: true });
    case 'POST /_emulator/complete-held-requests': {
      // AWS requests accepted under a long write delay complete now (or within ?withinMs=N).
      const withinMs = Number(url.searchParams.get('withinMs') ?? '0');
      if (!Number.isFinite(withinMs) || withinMs < 0)
        return sendJson(res, 400, { message: 'withinMs must be a number of milliseconds, 0 or more' });
      return sendJson(res, 200, { completed: target.aws.completeHeldRequests(withinMs) });
    }
    default:
      if (await handleSweepControl(target, req, res, route)) return;
      if (await handleMembersControl(target, req, res, route)) return;
      if (await handlePolicyControl(target.aws, req, res, route, url)) return;
      if (await handleRequestControl(target, req, res, route)) return;
      if (await handleEligibilityControl(target, req, res, route)) return;
      if (await handleResourceGroupControl(target, req, res, route)) return;
      if (await handleReviewControl(target, req, res, route)) return;
      return sendJson(res, 404, { message: CONTROL_ROUTES });
  }
}

/**
 * `GET /_emulator/aws/s3/objects?bucket=B&prefix=P`: what the emulator's S3 holds (`audit-log`'s
 * records), each object's body parsed when it is JSON; every bucket when none is named.
 */
function s3Objects(aws: AwsEmulator, query: URLSearchParams) {
  const prefix = query.get('prefix') ?? '';
  const named = query.get('bucket');
  const buckets = named ? [named] : [...aws.s3.buckets.keys()];
  return buckets.map((bucket) => ({
    bucket,
    exists: aws.s3.buckets.has(bucket),
    objects: aws.s3.objects(bucket, prefix).map(([key, object]) => ({
      key,
      lastModified: object.lastModified.toISOString(),
      body: parsedOrText(object.body),
    })),
  }));
}

const parsedOrText = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
};

/** `POST /_emulator/faults`: top-level members into aws.faults, `github` and `azure` objects into theirs. */
async function patchFaults(target: ControlTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const patch = await jsonObject(req);
  if (!patch)
    return sendJson(res, 400, {
      message: 'body must be a JSON object of aws.faults members, with `github` and `azure` objects',
    });
  const { github, azure, ...awsFaults } = patch;
  const unknown = [
    ...Object.keys(awsFaults).filter((k) => !(k in target.aws.faults)),
    ...(azure && typeof azure === 'object'
      ? Object.keys(azure).filter((k) => !target.azure || !(k in target.azure.faults))
      : []
    ).map((k) => `azure.${k}`),
  ];
  if (unknown.length > 0) return sendJson(res, 400, { message: `unknown fault(s): ${unknown.join(', ')}` });
  Object.assign(target.aws.faults, awsFaults);
  if (github && typeof github === 'object') Object.assign(target.github.faults, github);
  if (azure && typeof azure === 'object' && target.azure) Object.assign(target.azure.faults, azure);
  return sendJson(res, 200, {
    aws: target.aws.faults,
    github: target.github.faults,
    ...(target.azure ? { azure: target.azure.faults } : {}),
  });
}

/** `POST /_emulator/config`. */
async function patchConfig(target: ControlTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Like faults: top-level members into aws.config, an `azure` object into azure.config.
  const patch = await jsonObject(req);
  if (!patch)
    return sendJson(res, 400, {
      message: 'body must be a JSON object of aws.config members, with an `azure` object',
    });
  const { azure, ...awsConfig } = patch;
  const unknown = [
    ...Object.keys(awsConfig).filter((k) => !(k in target.aws.config)),
    ...(azure && typeof azure === 'object'
      ? Object.keys(azure).filter((k) => !target.azure || !(k in target.azure.config))
      : []
    ).map((k) => `azure.${k}`),
  ];
  if (unknown.length > 0)
    return sendJson(res, 400, { message: `unknown config member(s): ${unknown.join(', ')}` });
  const refusal = awsConfig.outstandingCreatesRefusal;
  if (refusal !== undefined && !(String(refusal) in OUTSTANDING_REFUSALS))
    return sendJson(res, 400, {
      message: `outstandingCreatesRefusal must be one of ${Object.keys(OUTSTANDING_REFUSALS).join(', ')}`,
    });
  Object.assign(target.aws.config, awsConfig);
  if (azure && typeof azure === 'object' && target.azure) Object.assign(target.azure.config, azure);
  return sendJson(res, 200, {
    aws: target.aws.config,
    ...(target.azure ? { azure: target.azure.config } : {}),
  });
}

/** `POST /_emulator/aws/outdated`. */
async function markAwsOutdated(
  target: ControlTarget,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): Promise<void> {
  // A permission set edited since it was provisioned: {"permissionSet": name or ARN, "accounts"?: [...]}.
  const body = await jsonObject(req);
  const name = body?.permissionSet;
  const accounts = body?.accounts;
  const validAccounts =
    accounts === undefined ||
    (Array.isArray(accounts) &&
      accounts.length > 0 &&
      accounts.every((a) => typeof a === 'string' && /^\d{12}$/.test(a)));
  if (typeof name !== 'string' || !validAccounts)
    return sendJson(res, 400, {
      message: `body must be ${bodyOf(route)}`,
    });
  try {
    const arn = markOutdated(target.aws, name, accounts as string[] | undefined);
    return sendJson(res, 200, { permissionSetArn: arn, accounts: target.aws.provisionedAccounts(arn) });
  } catch (error) {
    return sendJson(res, 404, { message: (error as Error).message });
  }
}

/** `POST /_emulator/aws/organization`. */
async function seedAwsOrganization(
  target: ControlTarget,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): Promise<void> {
  // Replaces the organization's tree: {"specs": ["Workloads/Prod=111111111111,222222222222:SUSPENDED", …]}.
  const specs = (await jsonObject(req))?.specs;
  if (!Array.isArray(specs) || !specs.every((s) => typeof s === 'string'))
    return sendJson(res, 400, { message: `body must be ${bodyOf(route)}` });
  try {
    target.aws.organization.seed(orgSeedFromSpecs(specs as string[]));
  } catch (error) {
    return sendJson(res, 400, { message: (error as Error).message });
  }
  return sendJson(res, 200, {
    root: target.aws.organization.rootId,
    tree: target.aws.organization.describe(),
  });
}

/** `POST /_emulator/azure/principals`. */
async function addAzurePrincipal(
  target: ControlTarget,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): Promise<void> {
  // An Entra principal role assignments can name: {"type": "Group", "id"?: "<object ID>"}.
  const body = await jsonObject(req);
  const type = PRINCIPAL_TYPES.find((t) => t.toLowerCase() === String(body?.type ?? 'User').toLowerCase());
  const id = body?.id;
  const validId = id === undefined || (typeof id === 'string' && isGuid(id));
  if (typeof id === 'string' && target.azure?.state.principals.has(id.toLowerCase()))
    return sendJson(res, 409, { message: `principal ${id} exists already` });
  if (!body || !type || !validId || !target.azure)
    return sendJson(res, 400, {
      message: target.azure ? `body must be ${bodyOf(route)}` : 'the emulator was started without Azure',
    });
  // Created at time 0: replicated long ago, as a principal that already exists in a tenant is.
  const created = target.azure.addPrincipal({ type, createdAt: 0, ...(id ? { id: id as string } : {}) });
  return sendJson(res, 200, { id: created, type });
}

/** `POST /_emulator/azure/directory`. */
async function addAzureDirectoryObject(
  target: ControlTarget,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // Graph's directory objects: {"user": {...}} | {"group": {...}} | {"application": {...}} |
  // {"managedIdentity": {...}} (see seedDirectory); answers what was made.
  const body = await jsonObject(req);
  if (!target.azure) return sendJson(res, 400, { message: 'the emulator was started without Azure' });
  const made = body ? seedDirectory(target.azure, body) : undefined;
  if (typeof made === 'string' || made === undefined)
    return sendJson(res, 400, { message: made ?? DIRECTORY_USAGE });
  return sendJson(res, 200, made);
}
