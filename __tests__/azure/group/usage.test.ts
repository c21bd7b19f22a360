// Which PIM-for-groups membership rows say `unknown` under `last-used: true`
// (src/azure/group/usage.ts): an active membership always; a group's eligible membership, and a
// user's row through it, always (its members' requests name only themselves); a person's own
// eligible membership only when the activations were not read, and never unused then.
import { describe, expect, it } from '@jest/globals';
import { unloggedMembershipUse } from '../../../src/azure/group/usage.js';

const person = { kind: 'azure-group-eligible', principalKind: 'user', viaGroupId: null } as const;

describe('a membership row whose use is unknown', () => {
  it("a person's own eligible membership is read, unless the activations were not", () => {
    expect(unloggedMembershipUse(person)).toBeUndefined();
    expect(unloggedMembershipUse(person, 'Graph answered 403')).toBe(
      'the PIM for groups activations were not read',
    );
  });

  it("a group's eligible membership, and a user's row through it, are unknown", () => {
    expect(unloggedMembershipUse({ ...person, principalKind: 'group' })).toMatch(/activated by its members/);
    expect(unloggedMembershipUse({ ...person, viaGroupId: 'g-1' })).toMatch(/activated by its members/);
  });

  it('an active membership is unknown', () => {
    expect(unloggedMembershipUse({ ...person, kind: 'azure-group-active' })).toBe(
      'Graph logs no use of an active group membership',
    );
  });
});
