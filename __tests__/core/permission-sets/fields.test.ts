// The values of a defined permission set, each checked as IAM Identity Center takes it.
import { describe, expect, it } from '@jest/globals';
import {
  awsManagedPolicy,
  durationText,
  ownershipValue,
  sessionDuration,
} from '../../../src/core/permission-sets/fields.js';
import { inPartition, type PermissionSetContent } from '../../../src/core/permission-sets/definition.js';

describe('a session duration', () => {
  it.each([
    ['PT1H', 60, 'PT1H'],
    ['PT90M', 90, 'PT1H30M'],
    ['PT1H30M', 90, 'PT1H30M'],
    ['PT12H', 720, 'PT12H'],
  ])('%s is %i minutes, written out as %s', (written, minutes, text) => {
    expect(sessionDuration(written)).toEqual({ ok: true, value: { minutes, text } });
  });

  it.each(['PT59M', 'PT12H1M', 'P1D', 'PT', '4h', 'PT1.5H'])('%s is refused', (written) => {
    expect(sessionDuration(written).ok).toBe(false);
  });

  it('a length the service wrote in another form reads as PT0M, never as an empty text', () => {
    expect(durationText(0)).toBe('PT0M');
  });
});

describe('an AWS-managed policy', () => {
  it('by name becomes its ARN in the partition given, a path written out', () => {
    expect(awsManagedPolicy('ReadOnlyAccess')).toEqual({
      ok: true,
      value: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    });
    expect(awsManagedPolicy('job-function/ViewOnlyAccess', 'aws-us-gov')).toEqual({
      ok: true,
      value: 'arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess',
    });
  });

  it('is refused when it is no name, or the ARN of an account’s own policy', () => {
    expect(awsManagedPolicy('Read Only')).toMatchObject({ ok: false });
    expect(awsManagedPolicy('arn:aws:iam::111111111111:policy/x')).toMatchObject({
      ok: false,
      fix: expect.stringContaining('customer-managed-policies'),
    });
  });
});

describe('the ownership tag’s value', () => {
  it('is `<owner>/<repo>:<manifest path>`', () => {
    expect(ownershipValue('octo-org/infra', 'access/access.yml')).toEqual({
      ok: true,
      value: 'octo-org/infra:access/access.yml',
    });
  });

  it('is refused, never shortened, when the path holds characters a tag value cannot, or it is too long', () => {
    expect(ownershipValue('octo-org/infra', 'access (prod).yml').ok).toBe(false);
    expect(ownershipValue('octo-org/infra', `${'a/'.repeat(130)}x.yml`).ok).toBe(false);
  });
});

describe('AWS-managed policies in the instance’s partition', () => {
  const content = (arns: string[], boundary?: string): PermissionSetContent => ({
    name: 'ReadOnly',
    description: undefined,
    sessionMinutes: 60,
    relayState: undefined,
    awsManagedPolicies: arns,
    customerManagedPolicies: [],
    inlinePolicy: undefined,
    permissionsBoundary: boundary ? { kind: 'aws-managed', arn: boundary } : undefined,
    tags: {},
  });

  it('writes a policy named in the manifest in the partition of a GovCloud instance, boundary too', () => {
    const named = content(
      ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'],
      'arn:aws:iam::aws:policy/PowerUserAccess',
    );
    expect(inPartition(named, 'arn:aws-us-gov:sso:::instance/ssoins-1234567890abcdef')).toMatchObject({
      awsManagedPolicies: [
        'arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess',
        'arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess',
      ],
      permissionsBoundary: { kind: 'aws-managed', arn: 'arn:aws-us-gov:iam::aws:policy/PowerUserAccess' },
    });
  });

  it('leaves the content as it is in the commercial partition', () => {
    const named = content(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect(inPartition(named, 'arn:aws:sso:::instance/ssoins-1234567890abcdef')).toEqual(named);
  });
});
