// An Azure PIM eligibility (`assignment-type: eligible`): who may activate a role at a scope, made
// through a roleEligibilityScheduleRequests AdminAssign and ended by an AdminRemove; the person
// activates it themselves, with PIM's own approval, MFA and justification. Pure.
//
// An eligibility's schedule carries no text a tool can write, and ARM stops returning the requests
// after about 45 days while the schedule stays. What reaches the schedule is the name of the
// request that made it (`roleEligibilityScheduleRequestId`), so the step names each request it
// sends by a derivation a later run recomputes from the repository and the grant
// (eligibilityRequestName), and a schedule is this repository's when its request ID ends with one
// of those names.
import { createHash } from 'node:crypto';
import { roleGuidOf, scopeKey } from '../azure-scope.js';
import { azureAssignmentKind } from './azure-role-assignment.js';

/**
 * How many names one grant's requests may take: one per life of the eligibility (a name is
 * refused once used, so a re-create after a removal takes the next). Past it, the step fails
 * saying so rather than guess a name a later run would not recompute.
 */
export const ELIGIBILITY_NAMES = 64;

/** What an eligibility request's name is derived from. */
export interface EligibilityNameParts {
  /**
   * Whose requests they are: an assign step's repository, `github:<repository ID>` (GitHub's
   * numeric ID, which survives a rename; else `github:<owner/name>`); a reconcile's manifest, its
   * marker `cloud-access:<owner>/<repo>:<path>` (so that it manages only its own).
   */
  owner: string;
  /** The full scope, as the grant's IDs hold it. */
  scope: string;
  roleId: string;
  principalId: string;
}

/**
 * The name of a grant's `n`th eligibility request: a UUID (RFC 4122 version 5 layout) of the
 * repository, the kind, the scope, the role's GUID, the principal and `n`.
 *
 * Why a derivation from public data is safe here, though anyone who knows the repository's ID can
 * compute these names (no secret key is available to a workflow that every run can read): a name
 * proves only that whoever made the request chose it. Making a request at the scope takes
 * `roleEligibilityScheduleRequests/write` and PIM's `roleAssignments/write` there, which also
 * suffice to AdminRemove the eligibility directly; so a party that copies a name can at most have
 * this repository's runs remove an eligibility that party made itself, which it could remove
 * anyway. It cannot lend the name to another party's eligibility: a schedule names only the
 * request that made it (or last changed it), so one made or changed by anyone else (the portal
 * gives each change a random GUID: a collision is 1 in 2^122) never ends with one of these
 * names. The proof is therefore "made by a request of this repository's cloud-access runs, or of
 * someone holding as much access at the scope as the removal uses", and no more: the name alone is
 * checked, the same before and after ARM forgets the request (the request's `requestorId` is
 * compared with the step's identity only where a lost answer is recovered).
 */
export function eligibilityRequestName(parts: EligibilityNameParts, n: number): string {
  const hash = createHash('sha1')
    .update(
      [
        'cloud-access',
        'azure-pim-eligible',
        parts.owner,
        scopeKey(parts.scope),
        roleGuidOf(parts.roleId).toLowerCase(),
        parts.principalId.toLowerCase(),
        String(n),
      ].join('\n'),
    )
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Every name the derivation allows for a grant, in the order the step takes them. */
export const eligibilityRequestNames = (parts: EligibilityNameParts): string[] =>
  Array.from({ length: ELIGIBILITY_NAMES }, (_, n) => eligibilityRequestName(parts, n));

/**
 * Which of the grant's derived names a request ID (a full resource ID or a bare GUID) ends with:
 * its `n`, or undefined when it is none of them (the request is another's).
 */
export function derivedNameIndex(
  parts: EligibilityNameParts,
  requestId: string | undefined,
): number | undefined {
  const tail = requestId?.split('/').pop()?.toLowerCase();
  if (!tail) return undefined;
  const n = eligibilityRequestNames(parts).indexOf(tail);
  return n >= 0 ? n : undefined;
}

export const azurePimEligible = azureAssignmentKind(
  'azure-pim-eligible',
  // `duration` its length (none: no end, where the policy allows); its request has no condition.
  {
    assignmentType: 'eligible',
    duration: 'optional',
    condition: false,
    inManifest: true,
    called: { one: 'eligibility', many: 'eligibilities' },
  },
  (parts) =>
    `a PIM eligibility AdminRemove (roleEligibilityScheduleRequests) of role ${parts.roleId} for principal ${parts.principalId} at ${parts.targetId}, or Privileged Identity Management → Azure resources → Assignments → Eligible assignments → Remove`,
);
