// A `target` that names a group where the cloud takes none: a bare word on Azure is refused as a
// scope with the `group:` form suggested, and `group:` on AWS is refused saying how AWS takes groups.
import { describe, expect, it } from '@jest/globals';
import { Problems } from '../../../src/core/inputs/fields.js';
import { scopes } from '../../../src/core/inputs/azure-values.js';
import { parseAwsTarget } from '../../../src/core/inputs/org-targets.js';

describe('target: a bare word on Azure', () => {
  it('is refused as a scope, its fix suggesting `group:Platform` for the Entra group', () => {
    const problems = new Problems();
    expect(scopes(problems, ['Platform'])).toEqual([]);
    expect(problems.list).toHaveLength(1);
    expect(problems.list[0]!.fix).toContain('if you meant the Entra group Platform, write `group:Platform`');
  });

  it('suggests no group for a path or a subscription ID', () => {
    for (const target of ['/subscriptions/x/rg', '0b1f6471-1bf0-4dda-aec3-111122223333']) {
      const problems = new Problems();
      scopes(problems, [target]);
      expect(problems.list[0]!.fix ?? '').not.toContain('group:');
    }
  });
});

describe('target: group: on AWS', () => {
  it('is refused, saying groups are written `principal-type: GROUP` there', () => {
    const parsed = parseAwsTarget('group:Platform');
    expect(parsed).toEqual({
      problem: expect.stringContaining('is not an AWS target'),
      fix: expect.stringContaining('`principal-type: GROUP`'),
    });
  });
});
