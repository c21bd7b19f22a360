// The control API's calls for PIM (./control-calls.ts lists them all): an eligibility written as
// an admin writes it in the portal, a person's activation of it, requests aged, a scope's policy,
// and a person's activation of an eligible membership of a group (PIM for groups).
import { SEED } from './azure/tenant/state.js';

/** Each a ControlCall (./control-calls.ts checks them as it lists them; no import back, no circle). */
export const PIM_CONTROL_CALLS = [
  {
    route: 'POST /_emulator/azure/eligibility',
    what: "a PIM eligibility as an admin writes it in the portal: AdminAssign, or, when the principal is eligible for the role at the scope already, AdminUpdate (a new schedule name, and a roleEligibilityScheduleRequestId that is the admin's request, not the action's); answered with the schedule",
    body: '{"scope": SCOPE, "role": ROLE_GUID|ROLE_ID|ROLE_NAME, "principalId": OBJECT_ID, "duration"?: ISO_8601|null (default P365D; null: no end), "requestName"?: GUID, "requestorId"?: OBJECT_ID (default a portal admin\'s), "justification"?: TEXT}',
    examples: [
      {
        scope: `/subscriptions/${SEED.subscriptionId}`,
        role: 'Reader',
        principalId: '0a11ce00-1b2c-4d3e-8f40-5a6b7c8d9e01',
        duration: 'P90D',
      },
    ],
  },
  {
    route: 'POST /_emulator/azure/eligibility/activation',
    what: 'a person activated their PIM eligibility (SelfActivate) at AT: the request roleAssignmentScheduleRequests lists for 45 days (azure.assignmentRequestRetentionMs), in the STATUS it ended in (default Provisioned; Denied, Failed … activated nothing), linkedRoleEligibilityScheduleId its eligibility (its own, else that of a group it is in: THROUGH names the group); the assignment it made is not modelled; answered with the request',
    body: '{"scope": SCOPE, "role": ROLE_GUID|ROLE_ID|ROLE_NAME, "principalId": OBJECT_ID, "at"?: EPOCH_MS|ISO_TIME, "status"?: STATUS, "duration"?: ISO_8601, "justification"?: TEXT, "through"?: GROUP_OBJECT_ID}',
    examples: [
      {
        scope: `/subscriptions/${SEED.subscriptionId}`,
        role: 'Reader',
        principalId: '0a11ce00-1b2c-4d3e-8f40-5a6b7c8d9e01',
        status: 'Denied',
      },
    ],
  },
  {
    route: 'POST /_emulator/azure/group-pim/activation',
    what: "a person activated their eligible membership (or ownership: ACCESS) of a group through PIM for groups (selfActivate) at AT: the request Graph's assignmentScheduleRequests lists afterwards, in the STATUS it ended in (default Provisioned; Denied, Failed … activated nothing), createdBy the person; the person must be eligible now (or a member of a group that is); the active membership it made is not modelled; answered with the request",
    body: '{"groupId": GROUP_OBJECT_ID, "principalId": OBJECT_ID, "accessId"?: "member"|"owner" (default member), "at"?: EPOCH_MS|ISO_TIME, "status"?: STATUS, "duration"?: ISO_8601 (default PT8H), "justification"?: TEXT}',
    // No example: the seeded tenant holds no eligible membership of a group to activate.
    examples: [],
  },
  {
    route: 'POST /_emulator/azure/eligibility/age-requests',
    what: 'every PIM eligibility request made DAYS older, schedules unchanged: past azure.eligibilityRequestRetentionMs (45 days) GET answers 404 and lists leave it out, while its schedule keeps roleEligibilityScheduleRequestId; answered with the eligibility state',
    body: '{"days": DAYS}',
    examples: [{ days: 46 }],
  },
  {
    route: 'POST /_emulator/azure/eligibility/policy',
    what: "a role's Expiration_Admin_Eligibility at a scope (exactly; default: every scope, every role), the later call winning; the default is the portal's, expiration required, at most P365D",
    body: '{"scope"?: SCOPE, "role"?: ROLE_GUID|ROLE_ID|ROLE_NAME, "isExpirationRequired"?: true|false, "maximumDuration"?: ISO_8601}',
    examples: [
      { scope: `/subscriptions/${SEED.subscriptionId}`, role: 'Reader', maximumDuration: 'P90D' },
      { isExpirationRequired: false },
    ],
  },
];
