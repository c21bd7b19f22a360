// The control API's PIM eligibility, so a test or a person running `npm run emulator` can stage what
// an eligible grant meets: an eligibility someone wrote in the portal (or changed: a new schedule
// name and a request that is not ours), requests past the 45 days reads return them, and the role's
// Expiration_Admin_Eligibility at a scope; and a person's activation of an eligible membership of a
// group (PIM for groups). Every body is checked field by field (./control-body.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AzureEmulator } from './azure/index.js';
import { parseIsoDuration } from './azure/pim/iso-duration.js';
import { isGuid, parseScope } from './azure/tenant/scope.js';
import { PIM_STATUSES, type PimStatus } from './azure/tenant/pim-records.js';
import {
  answerBody,
  BodyError,
  checkFields,
  type FieldRule,
  FIELD,
  type Json,
  timeOf,
} from './control-body.js';
import { bodyOf } from './control-calls.js';

const scopeField = (optional: boolean): FieldRule => ({
  check: (v) => {
    try {
      return typeof v === 'string' && parseScope(v).kind !== 'root';
    } catch {
      return false;
    }
  },
  takes:
    'an ARM scope (/subscriptions/ID[/resourceGroups/RG], /providers/Microsoft.Management/managementGroups/NAME)',
  optional,
});
const guidField = (takes: string, optional = false): FieldRule => ({
  check: (v) => typeof v === 'string' && isGuid(v),
  takes,
  optional,
});
const durationField = (nullable: boolean): FieldRule => ({
  check: (v) => (nullable && v === null) || (typeof v === 'string' && parseIsoDuration(v) !== undefined),
  takes: `an ISO 8601 duration (P30D, PT8H)${nullable ? ' or null (no end)' : ''}`,
  optional: true,
});

/** `POST /_emulator/azure/eligibility`: an admin's AdminAssign, or AdminUpdate of an existing eligibility. */
function writeAsAdmin(azure: AzureEmulator, body: Json) {
  checkFields(body, {
    scope: scopeField(false),
    role: FIELD.text('a role GUID, role definition ID or role name'),
    principalId: guidField('the object ID of a principal the emulator holds'),
    duration: durationField(true),
    requestName: guidField('a GUID', true),
    requestorId: guidField('an object ID', true),
    justification: FIELD.text('text', true),
  });
  const role = roleGuidOf(azure, String(body.role));
  try {
    return azure.writeEligibilityAsAdmin({
      scope: String(body.scope),
      roleDefinitionId: role,
      principalId: String(body.principalId),
      ...(body.duration === undefined ? {} : { duration: body.duration as string | null }),
      ...(body.requestName ? { requestName: String(body.requestName) } : {}),
      ...(body.requestorId ? { requestorId: String(body.requestorId) } : {}),
      ...(body.justification ? { justification: String(body.justification) } : {}),
    });
  } catch (error) {
    throw new BodyError((error as Error).message);
  }
}

/** A role's GUID from a GUID, a role definition ID or a role name. */
function roleGuidOf(azure: AzureEmulator, role: string): string {
  const guid = role.slice(role.lastIndexOf('/') + 1).toLowerCase();
  if (isGuid(guid) && azure.state.roleDefinitions.has(guid)) return guid;
  const named = [...azure.state.roleDefinitions.values()].find(
    (r) => r.roleName.toLowerCase() === role.toLowerCase(),
  );
  if (!named) throw new BodyError(`"role": ${JSON.stringify(role)} is not a role the emulator holds`);
  return named.guid;
}

/**
 * `POST /_emulator/azure/eligibility/activation`: a person activated their eligibility (SelfActivate)
 * at `at`, the request ending in `status` (default Provisioned).
 */
function activate(azure: AzureEmulator, body: Json) {
  checkFields(body, {
    scope: scopeField(false),
    role: FIELD.text('a role GUID, role definition ID or role name'),
    principalId: guidField('the object ID of a principal the emulator holds'),
    at: FIELD.time(),
    status: FIELD.oneOf([...PIM_STATUSES], true),
    duration: durationField(false),
    justification: FIELD.text('text', true),
    through: guidField(
      'the object ID of a group eligible at the scope, the principal one of its members',
      true,
    ),
  });
  const at = timeOf(body.at);
  try {
    return azure.activateEligibility({
      ...(body.through ? { through: String(body.through) } : {}),
      scope: String(body.scope),
      roleDefinitionId: roleGuidOf(azure, String(body.role)),
      principalId: String(body.principalId),
      ...(at !== undefined ? { at } : {}),
      ...(body.status ? { status: body.status as PimStatus } : {}),
      ...(body.duration ? { duration: String(body.duration) } : {}),
      ...(body.justification ? { justification: String(body.justification) } : {}),
    });
  } catch (error) {
    throw new BodyError((error as Error).message);
  }
}

/**
 * `POST /_emulator/azure/group-pim/activation`: a person activated their eligible membership of a
 * group (PIM for groups `selfActivate`) at `at`, the request ending in `status` (default Provisioned).
 */
function activateMembership(azure: AzureEmulator, body: Json) {
  checkFields(body, {
    groupId: guidField('the object ID of a group'),
    principalId: guidField(
      'the object ID of a principal eligible for the membership, or a member of a group that is',
    ),
    accessId: FIELD.oneOf(['member', 'owner'], true),
    at: FIELD.time(),
    status: FIELD.text('the status it ended in (Provisioned, Denied, Failed, Canceled …)', true),
    duration: durationField(false),
    justification: FIELD.text('text', true),
  });
  const at = timeOf(body.at);
  try {
    return azure.activateGroupMembership({
      groupId: String(body.groupId),
      principalId: String(body.principalId),
      ...(body.accessId ? { accessId: body.accessId as 'member' | 'owner' } : {}),
      ...(at !== undefined ? { at } : {}),
      ...(body.status ? { status: String(body.status) } : {}),
      ...(body.duration ? { duration: String(body.duration) } : {}),
      ...(body.justification ? { justification: String(body.justification) } : {}),
    });
  } catch (error) {
    throw new BodyError((error as Error).message);
  }
}

/** `POST /_emulator/azure/eligibility/age-requests`: every eligibility request made `days` older. */
function ageRequests(azure: AzureEmulator, body: Json) {
  checkFields(body, {
    days: {
      check: (v) => typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 3650,
      takes: 'a number of days (more than 0, at most 3650)',
    },
  });
  azure.ageEligibilityRequests(Number(body.days) * 86_400_000);
  return azure.eligibility();
}

/** `POST /_emulator/azure/eligibility/policy`: Expiration_Admin_Eligibility at a scope for a role. */
function setPolicy(azure: AzureEmulator, body: Json) {
  checkFields(body, {
    scope: scopeField(true),
    role: FIELD.text('a role GUID, role definition ID or role name', true),
    isExpirationRequired: { check: (v) => typeof v === 'boolean', takes: 'true or false', optional: true },
    maximumDuration: durationField(false),
  });
  const role = body.role === undefined ? undefined : roleGuidOf(azure, String(body.role));
  azure.setEligibilityPolicy(
    {
      ...(body.isExpirationRequired === undefined
        ? {}
        : { isExpirationRequired: Boolean(body.isExpirationRequired) }),
      ...(body.maximumDuration === undefined ? {} : { maximumDuration: String(body.maximumDuration) }),
    },
    { ...(body.scope ? { scope: String(body.scope) } : {}), ...(role ? { role } : {}) },
  );
  return {
    eligibilityPolicy: azure.config.eligibilityPolicy,
    eligibilityPolicies: azure.config.eligibilityPolicies,
  };
}

const ROUTES: Record<string, (azure: AzureEmulator, body: Json) => unknown> = {
  'POST /_emulator/azure/eligibility': writeAsAdmin,
  'POST /_emulator/azure/eligibility/activation': activate,
  'POST /_emulator/azure/eligibility/age-requests': ageRequests,
  'POST /_emulator/azure/eligibility/policy': setPolicy,
  'POST /_emulator/azure/group-pim/activation': activateMembership,
};

export async function handleEligibilityControl(
  target: { azure?: AzureEmulator },
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): Promise<boolean> {
  const handler = ROUTES[route];
  if (!handler) return false;
  await answerBody(req, res, bodyOf(route), (body) => {
    if (!target.azure) throw new BodyError('the emulator was started without Azure');
    return handler(target.azure, body);
  });
  return true;
}
