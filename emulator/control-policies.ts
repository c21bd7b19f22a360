// The control API's customer-managed policies: which accounts hold which, so a person running
// `npm run emulator` can see a permission set that references one provision where it is held and
// fail, naming the policy, where it is not (as IAM Identity Center's provisioning does). And the
// permission sets' own policies as a person reads them: a session fence a revoke put into a set's
// inline policy, and an expired one taken out (the aws-end-sessions local mode).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsEmulator } from './aws/index.js';
import { answerBody, checkFields, FIELD, type FieldRule, type Json } from './control-body.js';
import { bodyOf } from './control-calls.js';
import { sendJson } from './common/http.js';

const ROUTE = 'POST /_emulator/aws/customer-managed-policies';
const SETS_ROUTE = 'GET /_emulator/aws/permission-sets';

const accounts: FieldRule = {
  check: (v) =>
    Array.isArray(v) &&
    v.length > 0 &&
    v.length <= 100 &&
    v.every((a) => typeof a === 'string' && /^\d{12}$/.test(a)),
  takes: '[12 digits, …] (1 to 100)',
};

/** `POST /_emulator/aws/customer-managed-policies`: the accounts given hold the policy `path` + `name`. */
export function addCustomerManagedPolicy(aws: AwsEmulator, body: Json) {
  checkFields(body, {
    accounts,
    // The SSO Admin model's ManagedPolicyName and ManagedPolicyPath.
    name: FIELD.pattern(/^[\w+=,.@-]{1,128}$/, 'a policy name (1–128 of letters, digits and +=,.@_-)'),
    path: FIELD.pattern(
      /^(\/[A-Za-z0-9.,+@=_-]+)*\/$/,
      'a path starting and ending with / (default /)',
      true,
    ),
  });
  const path = typeof body.path === 'string' ? body.path : '/';
  aws.addCustomerManagedPolicy(body.accounts as string[], String(body.name), path);
  return { accounts: body.accounts, policy: `${path}${String(body.name)}` };
}

/** Each account's customer-managed policies (`path+name`), for the state snapshot. */
export const heldPolicies = (state: AwsEmulator['state']) =>
  Object.fromEntries([...state.customerPolicies].map(([account, held]) => [account, [...held].sort()]));

/**
 * `GET /_emulator/aws/permission-sets?name=NAME`: each set (or the one named) with its tags, its
 * inline policy's statements parsed, and the accounts it is provisioned to (outdated ones marked).
 */
function permissionSets(aws: AwsEmulator, query: URLSearchParams) {
  const state = aws.state;
  state.settle();
  const named = query.get('name');
  return [...state.permissionSets.values()]
    .filter((ps) => named === null || ps.name === named || ps.arn === named)
    .map((ps) => ({
      name: ps.name,
      arn: ps.arn,
      tags: Object.fromEntries(ps.tags.map((t) => [t.Key, t.Value])),
      sessionDuration: ps.sessionDuration,
      inlinePolicy: ps.inlinePolicy === undefined ? null : parsedOrText(ps.inlinePolicy),
      provisionedTo: state
        .provisionedAccounts(ps.arn)
        .map((a) => `${a.accountId}${a.current ? '' : ' (outdated)'}`),
    }));
}

const parsedOrText = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

/** Handles the route when it is one of these; false when it is not. */
export async function handlePolicyControl(
  aws: AwsEmulator,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  url?: URL,
): Promise<boolean> {
  if (route === SETS_ROUTE) {
    const sets = permissionSets(aws, url?.searchParams ?? new URLSearchParams());
    const named = url?.searchParams.get('name');
    if (named && sets.length === 0)
      sendJson(res, 404, { message: `no permission set ${JSON.stringify(named)} (by name or ARN)` });
    else sendJson(res, 200, sets);
    return true;
  }
  if (route !== ROUTE) return false;
  await answerBody(req, res, bodyOf(route), (body) => addCustomerManagedPolicy(aws, body));
  return true;
}
