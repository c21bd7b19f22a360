// CloudTrail records of PutInlinePolicyToPermissionSet as the sweep reads them to find the sets the
// action fenced (aws/permission-sets/policy-writes.ts): the set and the role of the caller's session, taken
// only in the shape AWS gives them; the policy's text in the record is never read.
import { describe, expect, it } from '@jest/globals';
import { policyWriteOf } from '../../../src/aws/permission-sets/policy-writes.js';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const PS = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef';
const ROLE = 'arn:aws:iam::123456789012:role/cloud-access';

const record = (more: Record<string, unknown> = {}) => ({
  eventVersion: '1.08',
  userIdentity: {
    type: 'AssumedRole',
    arn: 'arn:aws:sts::123456789012:assumed-role/cloud-access/cloud-access-1-2-3',
    sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE } },
  },
  eventTime: '2026-11-25T10:00:00Z',
  eventSource: 'sso.amazonaws.com',
  eventName: 'PutInlinePolicyToPermissionSet',
  requestParameters: {
    instanceArn: INSTANCE,
    permissionSetArn: PS,
    inlinePolicy: '{"Version":"2012-10-17"}',
  },
  responseElements: null,
  ...more,
});
const event = (json: unknown, name = 'PutInlinePolicyToPermissionSet') => ({
  EventId: 'ev-1',
  EventName: name,
  EventTime: new Date('2026-11-25T10:00:00Z'),
  CloudTrailEvent: JSON.stringify(json),
});

describe('a CloudTrail record of an inline policy put', () => {
  it('gives the set, the role of the caller’s session and when', () => {
    expect(policyWriteOf(event(record()), INSTANCE)).toEqual({
      permissionSetArn: PS,
      roleArn: ROLE,
      at: Date.parse('2026-11-25T10:00:00Z'),
    });
  });

  it('is no write of the action’s when it failed, is another instance’s or event’s, or is not well formed', () => {
    const others = [
      event(record({ errorCode: 'AccessDeniedException' })),
      event(record({ requestParameters: { instanceArn: `${INSTANCE}0`, permissionSetArn: PS } })),
      event(record({ requestParameters: { instanceArn: INSTANCE, permissionSetArn: 'ps-1' } })),
      event(record({ eventSource: 'iam.amazonaws.com' })),
      event(record(), 'CreateAccountAssignment'),
      { ...event(record()), CloudTrailEvent: 'not json' },
    ];
    for (const e of others) expect(policyWriteOf(e, INSTANCE)).toBeUndefined();
  });

  it('by a caller that is not an assumed role names no role', () => {
    const user = record({
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/admin' },
    });
    expect(policyWriteOf(event(user), INSTANCE)).toEqual({
      permissionSetArn: PS,
      at: Date.parse('2026-11-25T10:00:00Z'),
    });
  });
});
