// AWS Organizations (service AWSOrganizationsV20161128, awsJson1_1, signing name `organizations`):
// one organization with its root, a tree of OUs and accounts with a status, and the reads that walk
// it. Its errors are the model's own (TooManyRequestsException, InvalidInputException with a
// Reason, ServiceException, ParentNotFoundException …), not SSO Admin's, so it has a pipeline of its own.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyTransportFaults, readBody, SlidingWindowLimiter, startRecord } from '../../common/http.js';
import { verifySigV4 } from '../protocol/auth.js';
import type { AwsContext } from '../account/config.js';
import { AwsServiceError, newRequestId, sendAwsJson, sendAwsJsonError } from '../protocol/protocol.js';

export const ORGANIZATIONS_NAMESPACE = 'com.amazonaws.organizations';
export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128';

export type AccountStatus = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';

export interface OrgAccount {
  id: string;
  name: string;
  status: AccountStatus;
}

export interface OrgUnit {
  id: string;
  name: string;
  /** Child OU IDs, in creation order. */
  units: string[];
  accounts: OrgAccount[];
}

/** An OU tree to seed: child OUs by name, accounts by ID (ACTIVE unless given a status). */
export interface OrgSeed {
  accounts?: (string | { id: string; name?: string; status?: AccountStatus })[];
  units?: Record<string, OrgSeed>;
}

export const ORG_ID = 'o-emu1a2b3c4d';
export const ROOT_ID = 'r-emu1';
const ORG_MASTER = '123456789012';

/** The tree every start and reset() begins with: a small organization with one suspended account. */
export const DEFAULT_ORG: OrgSeed = {
  accounts: [ORG_MASTER],
  units: {
    Workloads: {
      units: {
        Prod: { accounts: ['111111111111', '222222222222'] },
        Dev: { accounts: ['333333333333', { id: '444444444444', status: 'SUSPENDED' }] },
      },
    },
    Sandbox: {},
  },
};

const hex = (seed: string, length: number) =>
  createHash('sha256').update(seed).digest('hex').slice(0, length);

export class Organization {
  readonly rootId = ROOT_ID;
  units = new Map<string, OrgUnit>();

  constructor() {
    this.seed(DEFAULT_ORG);
  }

  /** Replaces the whole tree; OU IDs derive from their paths, so they are the same every time. */
  seed(tree: OrgSeed): void {
    this.units.clear();
    this.paths.clear();
    this.add(ROOT_ID, 'Root', tree, 'Root');
  }

  /** Every OU by path with its ID and accounts, for people: `Root/Workloads/Prod (ou-…): 111111111111, …`. */
  describe(): string {
    return [...this.units.values()]
      .map(
        (u) =>
          `${this.paths.get(u.id)} (${u.id}): ${u.accounts.map((a) => (a.status === 'ACTIVE' ? a.id : `${a.id} ${a.status}`)).join(', ') || 'no accounts'}`,
      )
      .join('; ');
  }

  /** The OU ID a path (`Root/Workloads/Prod`) has. */
  ouId(path: string): string {
    const found = [...this.units.values()].find((u) => this.pathOf(u.id) === path);
    if (!found) throw new Error(`emulator: no OU at ${path}`);
    return found.id;
  }

  private readonly paths = new Map<string, string>();
  private pathOf(id: string): string | undefined {
    return this.paths.get(id);
  }

  private add(id: string, name: string, seed: OrgSeed, path: string): void {
    const unit: OrgUnit = {
      id,
      name,
      units: [],
      accounts: (seed.accounts ?? []).map((a) =>
        typeof a === 'string'
          ? { id: a, name: `account-${a}`, status: 'ACTIVE' }
          : { id: a.id, name: a.name ?? `account-${a.id}`, status: a.status ?? 'ACTIVE' },
      ),
    };
    this.units.set(id, unit);
    this.paths.set(id, path);
    for (const [childName, child] of Object.entries(seed.units ?? {})) {
      const childPath = `${path}/${childName}`;
      const childId = `ou-${ROOT_ID.slice(2)}-${hex(childPath, 8)}`;
      unit.units.push(childId);
      this.add(childId, childName, child, childPath);
    }
  }
}

const PAGE_DEFAULT = 20;

function error(code: string, status: number, message: string, fields: Record<string, unknown> = {}) {
  return new AwsServiceError(code, status, message, fields);
}
const invalidInput = (reason: string, message: string) =>
  error('InvalidInputException', 400, message, { Reason: reason });

const PARENT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

/** Checks NextToken and MaxResults (1–20) as the model bounds them; one page of `items`. */
function page<T>(
  items: T[],
  input: Record<string, unknown>,
  listId: string,
): { page: T[]; NextToken?: string } {
  const max = input.MaxResults;
  if (max !== undefined && (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 20))
    throw invalidInput(
      'MAX_VALUE_EXCEEDED',
      'You provided a numeric parameter that has a larger value than allowed.',
    );
  let offset = 0;
  if (typeof input.NextToken === 'string' && input.NextToken !== '') {
    const match = /^(.*)#(\d+)$/.exec(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
    if (!match || match[1] !== listId)
      throw invalidInput('INVALID_PAGINATION_TOKEN', 'The NextToken is invalid or has expired.');
    offset = Number(match[2]);
  }
  const size = (max as number | undefined) ?? PAGE_DEFAULT;
  const next = offset + size;
  return {
    page: items.slice(offset, next),
    ...(next < items.length
      ? { NextToken: Buffer.from(`${listId}#${next}`, 'utf8').toString('base64url') }
      : {}),
  };
}

function parentOf(org: Organization, input: Record<string, unknown>): OrgUnit {
  const id = input.ParentId;
  if (typeof id !== 'string' || id === '')
    throw invalidInput('INPUT_REQUIRED', 'You must specify a value for ParentId.');
  if (!PARENT_ID.test(id))
    throw invalidInput('INVALID_PATTERN', `ParentId ${id} does not match the required pattern.`);
  const unit = org.units.get(id);
  if (!unit)
    throw error(
      'ParentNotFoundException',
      404,
      "We can't find a root or OU with the ParentId that you specified.",
    );
  return unit;
}

const READ_ERRORS = [
  'AccessDeniedException',
  'AWSOrganizationsNotInUseException',
  'InvalidInputException',
  'ServiceException',
  'TooManyRequestsException',
] as const;

interface OrgOperation {
  errors: readonly string[];
  run(org: Organization, input: Record<string, unknown>): unknown;
}

const arnOf = (id: string) =>
  id.startsWith('r-')
    ? `arn:aws:organizations::${ORG_MASTER}:root/${ORG_ID}/${id}`
    : `arn:aws:organizations::${ORG_MASTER}:ou/${ORG_ID}/${id}`;

/** An account as the listings answer it. */
const accountOf = (a: OrgAccount) => ({
  Id: a.id,
  Arn: `arn:aws:organizations::${ORG_MASTER}:account/${ORG_ID}/${a.id}`,
  Email: `${a.id}@example.com`,
  Name: a.name,
  Status: a.status,
  JoinedMethod: 'CREATED',
  JoinedTimestamp: 1_700_000_000,
});

export const ORGANIZATIONS_OPERATIONS: Record<string, OrgOperation> = {
  ListRoots: {
    errors: READ_ERRORS,
    run(org, input) {
      const { page: roots, NextToken } = page([org.rootId], input, 'roots');
      return {
        Roots: roots.map((id) => ({ Id: id, Arn: arnOf(id), Name: 'Root', PolicyTypes: [] })),
        ...(NextToken ? { NextToken } : {}),
      };
    },
  },
  ListOrganizationalUnitsForParent: {
    errors: [...READ_ERRORS, 'ParentNotFoundException'],
    run(org, input) {
      const parent = parentOf(org, input);
      const { page: ids, NextToken } = page(parent.units, input, `ous:${parent.id}`);
      return {
        OrganizationalUnits: ids.map((id) => ({ Id: id, Arn: arnOf(id), Name: org.units.get(id)!.name })),
        ...(NextToken ? { NextToken } : {}),
      };
    },
  },
  ListAccountsForParent: {
    errors: [...READ_ERRORS, 'ParentNotFoundException'],
    run(org, input) {
      const parent = parentOf(org, input);
      const { page: accounts, NextToken } = page(parent.accounts, input, `accounts:${parent.id}`);
      return {
        Accounts: accounts.map((a) => accountOf(a)),
        ...(NextToken ? { NextToken } : {}),
      };
    },
  },
  // Every account of the organization, whichever OU holds it.
  ListAccounts: {
    errors: READ_ERRORS,
    run(org, input) {
      const every = [...org.units.values()].flatMap((u) => u.accounts);
      const { page: accounts, NextToken } = page(every, input, 'accounts');
      return { Accounts: accounts.map(accountOf), ...(NextToken ? { NextToken } : {}) };
    },
  },
  ListChildren: {
    errors: [...READ_ERRORS, 'ParentNotFoundException'],
    run(org, input) {
      const parent = parentOf(org, input);
      const type = input.ChildType;
      if (type !== 'ACCOUNT' && type !== 'ORGANIZATIONAL_UNIT')
        throw invalidInput('INVALID_ENUM', 'You specified an invalid value for ChildType.');
      const ids = type === 'ACCOUNT' ? parent.accounts.map((a) => a.id) : parent.units;
      const { page: children, NextToken } = page(ids, input, `children:${String(type)}:${parent.id}`);
      return { Children: children.map((Id) => ({ Id, Type: type })), ...(NextToken ? { NextToken } : {}) };
    },
  },
  DescribeOrganizationalUnit: {
    errors: [...READ_ERRORS, 'OrganizationalUnitNotFoundException'],
    run(org, input) {
      const id = input.OrganizationalUnitId;
      if (typeof id !== 'string' || !OU_ID.test(id))
        throw invalidInput('INVALID_PATTERN', 'OrganizationalUnitId does not match the required pattern.');
      const unit = org.units.get(id);
      if (!unit)
        throw error(
          'OrganizationalUnitNotFoundException',
          404,
          "We can't find an OU with the OrganizationalUnitId that you specified.",
        );
      return { OrganizationalUnit: { Id: unit.id, Arn: arnOf(unit.id), Name: unit.name } };
    },
  },
};

/** The request pipeline: route, authenticate (SigV4), inject faults, throttle, then read. */
export function createOrganizationsService(aws: AwsContext, org: Organization) {
  const limiter = new SlidingWindowLimiter(() => aws.config.organizationsTps);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const [prefix, name] = String(req.headers['x-amz-target'] ?? '').split('.');
    const operation =
      prefix === ORGANIZATIONS_TARGET_PREFIX && name ? ORGANIZATIONS_OPERATIONS[name] : undefined;
    const entry = startRecord(aws.record, 'organizations', name ?? 'Unknown', req, false);
    aws.stats.byOperation[entry.operation] = (aws.stats.byOperation[entry.operation] ?? 0) + 1;
    const body = await readBody(req);
    if (!(await applyTransportFaults(res, aws.faults, aws.random, entry))) return;
    const fail = (e: AwsServiceError) => {
      entry.status = e.status;
      entry.errorCode = e.code;
      aws.stats.errors[e.code] = (aws.stats.errors[e.code] ?? 0) + 1;
      if (e.code === 'TooManyRequestsException') aws.stats.throttled++;
      sendAwsJsonError(res, ORGANIZATIONS_NAMESPACE, e, requestId);
    };
    if (req.method !== 'POST' || !operation || !name)
      return fail(error('UnknownOperationException', 400, ''));
    const auth = verifySigV4(req, body, 'organizations', (key) => aws.credential(key));
    if (!auth.ok) return fail(new AwsServiceError(auth.code, auth.status, auth.message));
    try {
      let input: unknown;
      try {
        input = body.trim() === '' ? {} : JSON.parse(body);
      } catch {
        throw invalidInput('INVALID_SYNTAX', 'The request body is not valid JSON.');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input))
        throw invalidInput('INVALID_SYNTAX', 'The request body is not a JSON object.');
      entry.input = input as Record<string, unknown>;
      if (
        !limiter.tryAcquire(name) ||
        (aws.faults.throttleRate > 0 && aws.random() < aws.faults.throttleRate)
      )
        throw error(
          'TooManyRequestsException',
          429,
          "AWS Organizations can't complete your request because of too many requests. Try again later.",
          { Type: 'RequestThrottled' },
        );
      if (aws.faults.serverErrorRate > 0 && aws.random() < aws.faults.serverErrorRate)
        throw error(
          'ServiceException',
          500,
          "AWS Organizations can't complete your request because of an internal service error. Try again later.",
        );
      if (aws.faults.accessDenied.includes(name))
        throw error(
          'AccessDeniedException',
          403,
          `You don't have permissions to access this resource. (${auth.credential.principalArn} is not authorized to perform: organizations:${name})`,
        );
      const output = operation.run(org, input as Record<string, unknown>);
      entry.status = 200;
      sendAwsJson(res, output, requestId);
    } catch (e) {
      if (!(e instanceof AwsServiceError)) throw e;
      fail(e);
    }
  }

  return { handle, reset: () => limiter.reset() };
}
