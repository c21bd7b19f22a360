// The control API's customer-managed policies: which accounts hold which, so a person running
// `npm run emulator` can see a permission set that references one provision where it is held and
// fail, naming the policy, where it is not (as IAM Identity Center's provisioning does).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsEmulator } from './aws/index.js';
import { answerBody, checkFields, FIELD, type FieldRule, type Json } from './control-body.js';
import { bodyOf } from './control-calls.js';

const ROUTE = 'POST /_emulator/aws/customer-managed-policies';

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

/** Handles the route when it is this one; false when it is not. */
export async function handlePolicyControl(
  aws: AwsEmulator,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): Promise<boolean> {
  if (route !== ROUTE) return false;
  await answerBody(req, res, bodyOf(route), (body) => addCustomerManagedPolicy(aws, body));
  return true;
}
