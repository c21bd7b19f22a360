// A principal's membership of an Entra group through PIM for groups (`target: group:<name or ID>`,
// `role: member | owner`): a kind of another shape than an assignment's, whose target is a group,
// not an ARM scope, and whose "role" is the access it gives (member or owner). Two kinds, one per
// word, as PIM on roles has two: `active` (Graph's assignmentScheduleRequests) and `eligible`
// (eligibilityScheduleRequests). Their Graph calls: src/azure/graph/group-pim*.ts. Pure.
import { GUID } from '../patterns.js';
import type { AzureGroupGrant, AzureGroupIds } from '../types.js';
import {
  shellWord,
  type AccessKind,
  type KindShape,
  type RemovalParts,
  type Resolved,
  type SavedIds,
} from './kind.js';

/** `accessId`: "The possible values are: `owner`, `member`" (Graph's privilegedAccessGroupRelationships). */
export const GROUP_ACCESS = ['member', 'owner'] as const;
export type GroupAccessWord = (typeof GROUP_ACCESS)[number];

/** A membership's `assignment-type`: active, or eligible (its principal activates it). */
export const GROUP_MEMBERSHIP_TYPES = ['active', 'eligible'] as const;
export type GroupMembershipType = (typeof GROUP_MEMBERSHIP_TYPES)[number];

/** What makes one membership: the principal, the group (Entra object IDs) and the access. */
export interface GroupMembershipParts {
  principalId: string;
  groupId: string;
  access: GroupAccessWord;
}

export interface GroupMembershipShape<N extends string = string> extends KindShape {
  name: N;
  cloud: 'azure';
  parts: GroupMembershipParts;
  /** What a person removes one by: its IDs as any grant's (`targetId`: the group, `roleId`: the access). */
  removal: RemovalParts;
  /** The IDs a step resolves a membership to (`roleId`: its access), with the schedule request it sent. */
  ids: AzureGroupIds;
  /** What its saved IDs read back as: the grant, resolved. */
  saved: Resolved<AzureGroupGrant>;
}

export const AZURE_GROUP_ACTIVE = 'azure-group-active';
export const AZURE_GROUP_ELIGIBLE = 'azure-group-eligible';
export type GroupMembershipKindName = typeof AZURE_GROUP_ACTIVE | typeof AZURE_GROUP_ELIGIBLE;

const isAccess = (text: string): text is GroupAccessWord =>
  (GROUP_ACCESS as readonly string[]).includes(text);

/** The kind of one word: its key, its rows, its saved IDs and how a person removes one. */
function groupMembershipKind<N extends GroupMembershipKindName>(
  kind: N,
  word: 'active' | 'eligible',
  collection: string,
): AccessKind<GroupMembershipShape<N>> {
  return {
    kind,
    cloud: 'azure',
    assignmentType: word,
    key: (p) => [kind, p.principalId.toLowerCase(), p.groupId.toLowerCase(), p.access].join('|'),
    // A report's row shows a membership as the principal holding `member` or `owner` of the group.
    partsOfRow: (row) => ({
      principalId: row.principalId,
      groupId: row.targetId,
      access: isAccess(row.roleId) ? row.roleId : 'member',
    }),
    duration: 'optional',
    condition: false,
    // The manifest makes memberships through its own section (`azure.groups`), not an entry's type.
    inManifest: false,
    keyedByPrincipalType: false,
    removeByHand: (p) =>
      `az rest --method post --url https://graph.microsoft.com/v1.0/identityGovernance/privilegedAccess/group/${collection}ScheduleRequests --body ${shellWord(
        JSON.stringify({
          accessId: p.roleId,
          principalId: p.principalId,
          groupId: p.targetId,
          action: 'adminRemove',
          justification: 'Removed by hand',
        }),
      )}`,
    ...(word === 'eligible' ? { called: { one: 'eligible membership', many: 'eligible memberships' } } : {}),
    // A reconcile's memberships are made before any is ended, of either kind: a principal moved
    // from active to eligible (or to owner) is never left with neither while the other is made.
    order: [
      { change: 'delete', after: { kind: AZURE_GROUP_ACTIVE, change: 'create' } },
      { change: 'delete', after: { kind: AZURE_GROUP_ELIGIBLE, change: 'create' } },
    ],
    savedIds: {
      write: (ids): SavedIds => ({
        principalId: ids.principalId,
        targetId: ids.groupId,
        roleId: ids.roleId,
        ...(ids.name ? { name: ids.name } : {}),
      }),
      read(ids, written, requestId) {
        if (!GUID.test(ids.principalId)) return 'its principal is not a GUID';
        if (!GUID.test(ids.targetId)) return 'its group is not a GUID';
        const access = ids.roleId;
        if (!isAccess(access)) return `its access ${JSON.stringify(access)} is neither member nor owner`;
        const request = ids.name ?? requestId;
        if (request !== undefined && !GUID.test(request)) return 'its request ID is not a GUID';
        const principalId = ids.principalId.toLowerCase();
        const groupId = ids.targetId.toLowerCase();
        const resolved: AzureGroupIds = {
          cloud: 'azure',
          principalId,
          groupId,
          roleId: access,
          ...(request ? { name: request } : {}),
        };
        return {
          cloud: 'azure',
          kind,
          written,
          principal: { kind: 'object', id: principalId, bare: true },
          group: { kind: 'id', id: groupId },
          access,
          resolved,
        };
      },
    },
  };
}

/** An active membership (Graph's assignmentSchedule…): `assignment-type: active`. */
export const azureGroupActive = groupMembershipKind(AZURE_GROUP_ACTIVE, 'active', 'assignment');
/** An eligible membership (eligibilitySchedule…), which its principal activates: `assignment-type: eligible`. */
export const azureGroupEligible = groupMembershipKind(AZURE_GROUP_ELIGIBLE, 'eligible', 'eligibility');
