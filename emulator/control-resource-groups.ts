// The control API's resource groups: ARM refuses a role assignment in a resource group that does
// not exist (404 ResourceGroupNotFound), so a person trying their own resource group on
// `npm run emulator` makes it first, as they would in the portal. The body is checked field by
// field (./control-body.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AzureEmulator } from './azure/index.js';
import { isGuid } from './azure/tenant/scope.js';
import { answerBody, BodyError, checkFields, FIELD, type Json } from './control-body.js';
import { bodyOf } from './control-calls.js';

const ROUTE = 'POST /_emulator/azure/resource-groups';

/** ARM's rule for a resource group's name: 1 to 90 letters, digits, `-_.()`, not ending with `.`. */
const NAME = /^[-\w.()\p{L}\p{N}]{0,89}[-\w()\p{L}\p{N}]$/u;

/** `POST /_emulator/azure/resource-groups`: a resource group, in the seeded subscription unless named. */
export function addResourceGroup(azure: AzureEmulator | undefined, body: Json) {
  checkFields(body, {
    name: FIELD.pattern(NAME, "a resource group name (1 to 90 letters, digits, -_.(), not ending with '.')"),
    subscriptionId: {
      check: (v) => typeof v === 'string' && isGuid(v),
      takes: 'a subscription ID',
      optional: true,
    },
  });
  if (!azure) throw new BodyError('the emulator was started without Azure');
  const subscriptionId = typeof body.subscriptionId === 'string' ? body.subscriptionId : azure.subscriptionId;
  if (!azure.state.hasSubscription(subscriptionId))
    throw new BodyError(`"subscriptionId": ${subscriptionId} is no subscription of the emulator`);
  return { id: azure.addResourceGroup(String(body.name), subscriptionId) };
}

export async function handleResourceGroupControl(
  target: { azure?: AzureEmulator },
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): Promise<boolean> {
  if (route !== ROUTE) return false;
  await answerBody(req, res, bodyOf(route), (body) => addResourceGroup(target.azure, body));
  return true;
}
