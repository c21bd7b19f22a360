// An Azure object ID in a manifest is written with its entry's `principal-type` (User by default);
// ARM refuses a create whose type is not the directory's. The plan's creates are held against what
// the directory said of their IDs, so the mistake is a problem on its line before any write.
import { describe, expect, it } from '@jest/globals';
import { principalTypeContradictions, type TypedByEntry } from '../../../src/core/plan/principal-types.js';
import type { AzurePrincipalType } from '../../../src/core/principal-forms.js';

const GROUP = 'fc91c783-51e9-4997-b801-33935b533c9a';
const USER = 'c0d381b2-272e-4b83-8260-ccff1693de48';
const SP = '5b1f2c9e-8a1d-4a51-9f43-2c6a1e0b7d11';
const directory = new Map<string, AzurePrincipalType>([
  [GROUP, 'Group'],
  [USER, 'User'],
  [SP, 'ServicePrincipal'],
]);
const typeOf = (id: string) => directory.get(id);

const typed = (principalId: string, o: Partial<TypedByEntry> = {}): TypedByEntry => ({
  principalId,
  principalType: 'User',
  typeWritten: false,
  line: 7,
  path: 'azure.assignments[1]',
  principals: 1,
  ...o,
});

describe("an object ID's principal-type against the directory's type", () => {
  it("a group's ID under the default User is a problem at its entry's line that names the ID, both types and the fix", () => {
    expect(principalTypeContradictions([typed(GROUP)], typeOf)).toEqual([
      {
        line: 7,
        message: `\`azure.assignments[1].principal\`: \`${GROUP}\` is a Group in the directory, but the entry's \`principal-type\` is User (the default), and ARM refuses the create (UnmatchedPrincipalType)`,
        fix: 'set `principal-type: Group`',
      },
    ]);
  });

  it('a written principal-type is not called the default', () => {
    const [problem] = principalTypeContradictions(
      [typed(SP, { principalType: 'Group', typeWritten: true })],
      typeOf,
    );
    expect(problem!.message).toContain(
      "is a ServicePrincipal in the directory, but the entry's `principal-type` is Group, and",
    );
    expect(problem!.fix).toBe('set `principal-type: ServicePrincipal`');
  });

  it('in an entry of several principals, the fix says they share one principal-type', () => {
    const [problem] = principalTypeContradictions([typed(GROUP, { principals: 2 })], typeOf);
    expect(problem!.fix).toMatch(
      /^set `principal-type: Group` \(an entry's principals share its one `principal-type`: one of another type needs an entry of its own\)$/,
    );
  });

  it('a type that matches the directory is no problem', () => {
    expect(
      principalTypeContradictions(
        [typed(USER), typed(GROUP, { principalType: 'Group', typeWritten: true })],
        typeOf,
      ),
    ).toEqual([]);
  });

  it('an ID the directory did not type (not found, or no permission to read it) is no problem', () => {
    expect(principalTypeContradictions([typed('00000000-0000-0000-0000-0000000000aa')], typeOf)).toEqual([]);
    expect(principalTypeContradictions([typed(GROUP)], () => undefined)).toEqual([]);
  });

  it('ForeignGroup and Device, which the directory lookup does not classify, are left to ARM', () => {
    expect(
      principalTypeContradictions(
        [typed(GROUP, { principalType: 'ForeignGroup' }), typed(USER, { principalType: 'Device' })],
        typeOf,
      ),
    ).toEqual([]);
  });

  it('one entry expanding to many creates of the same ID says so once; two entries say it each', () => {
    const problems = principalTypeContradictions(
      [typed(GROUP), typed(GROUP), typed(GROUP, { line: 9, path: 'azure.assignments[2]' })],
      typeOf,
    );
    expect(problems.map((p) => p.line)).toEqual([7, 9]);
  });
});
