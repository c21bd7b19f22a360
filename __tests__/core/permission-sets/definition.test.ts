// A permission set's content, made from a definition or from what a snapshot keeps
// (src/core/permission-sets/definition.ts setContentOf): the same fields, never shared with where they came from.
import { describe, expect, it } from '@jest/globals';
import { setContentOf } from '../../../src/core/permission-sets/definition.js';

describe('a set’s content is made from the fields that hold it, as a copy', () => {
  const kept = {
    name: 'Reader',
    sessionMinutes: 60,
    awsManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    customerManagedPolicies: [{ name: 'audit', path: '/' }],
    permissionsBoundary: { kind: 'aws-managed' as const, arn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
    outdated: ['111111111111'],
  };

  it('takes each field of the content, the inline policy and the tags given, and nothing else', () => {
    expect(setContentOf(kept, '{"Version":"2012-10-17"}', { team: 'a' })).toEqual({
      name: 'Reader',
      description: undefined,
      sessionMinutes: 60,
      relayState: undefined,
      awsManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      customerManagedPolicies: [{ name: 'audit', path: '/' }],
      inlinePolicy: '{"Version":"2012-10-17"}',
      permissionsBoundary: { kind: 'aws-managed', arn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
      tags: { team: 'a' },
    });
  });

  it('shares no list, policy reference or tags with what it was made from', () => {
    const tags = { team: 'a' };
    const content = setContentOf(kept, undefined, tags);
    content.awsManagedPolicies.push('x');
    content.customerManagedPolicies[0]!.name = 'changed';
    content.tags.team = 'b';
    expect(kept.awsManagedPolicies).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect(kept.customerManagedPolicies).toEqual([{ name: 'audit', path: '/' }]);
    expect(tags).toEqual({ team: 'a' });
  });
});
