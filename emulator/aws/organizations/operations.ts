// AWS Organizations' reads as the model defines them (ListRoots, ListOrganizationalUnitsForParent,
// ListAccountsForParent, ListAccounts, ListChildren, DescribeAccount, DescribeOrganizationalUnit): their paging
// (MaxResults 1–20, NextToken), their input checks and their errors, the model's own
// (InvalidInputException with a Reason, ParentNotFoundException …).
import { AwsServiceError } from '../protocol/protocol.js';
import { ORG_ID, ORG_MASTER, type OrgAccount, type Organization, type OrgUnit } from './organization.js';

const PAGE_DEFAULT = 20;

export function error(code: string, status: number, message: string, fields: Record<string, unknown> = {}) {
  return new AwsServiceError(code, status, message, fields);
}
export const invalidInput = (reason: string, message: string) =>
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
  // One account, whichever OU holds it; an ID the organization does not hold is not found.
  DescribeAccount: {
    errors: [...READ_ERRORS, 'AccountNotFoundException'],
    run(org, input) {
      const id = input.AccountId;
      if (typeof id !== 'string' || !/^\d{12}$/.test(id))
        throw invalidInput('INVALID_PATTERN', 'AccountId does not match the required pattern.');
      const account = [...org.units.values()].flatMap((u) => u.accounts).find((a) => a.id === id);
      if (!account)
        throw error(
          'AccountNotFoundException',
          404,
          "We can't find an AWS account with the AccountId that you specified, or the account whose credentials you used to make this request isn't a member of an organization.",
        );
      return { Account: accountOf(account) };
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
