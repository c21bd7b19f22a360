// CloudTrail records as sweep evidence (aws/trail/events.ts): taken only in the shape AWS gives
// them; anything else is no evidence.
import { describe, expect, it } from '@jest/globals';
import { eventRecordOf, trailWriteOf } from '../../../src/aws/trail/events.js';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const PRINCIPAL = '9067447c0f-dabd1db8-0000-0000-0000-000000000001';
const PS = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef';
const REQUEST = 'e4a3c2b1-0000-4000-8000-000000000001';
const SESSION = 'cloud-access-123456789-777-1-e';

const record = (more: Record<string, unknown> = {}) => ({
  eventVersion: '1.08',
  userIdentity: {
    type: 'AssumedRole',
    arn: `arn:aws:sts::123456789012:assumed-role/cloud-access/${SESSION}`,
    sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::123456789012:role/cloud-access' } },
  },
  eventTime: '2026-11-25T10:00:00Z',
  eventSource: 'sso.amazonaws.com',
  eventName: 'CreateAccountAssignment',
  requestParameters: {
    instanceArn: INSTANCE,
    targetId: '111111111111',
    targetType: 'AWS_ACCOUNT',
    permissionSetArn: PS,
    principalType: 'USER',
    principalId: PRINCIPAL,
  },
  responseElements: { accountAssignmentCreationStatus: { status: 'IN_PROGRESS', requestId: REQUEST } },
  ...more,
});
const event = (json: unknown, name = 'CreateAccountAssignment') => ({
  EventId: 'ev-1',
  EventName: name,
  EventTime: new Date('2026-11-25T10:00:00Z'),
  CloudTrailEvent: typeof json === 'string' ? json : JSON.stringify(json),
});

describe('a CloudTrail record of an account assignment write', () => {
  it('gives the assignment, the caller, its role and session, and the request it started', () => {
    expect(trailWriteOf(event(record()), INSTANCE)).toEqual({
      kind: 'create',
      place: {
        principalType: 'USER',
        principalId: PRINCIPAL,
        permissionSetArn: PS,
        accountId: '111111111111',
      },
      at: Date.parse('2026-11-25T10:00:00Z'),
      actor: `arn:aws:sts::123456789012:assumed-role/cloud-access/${SESSION}`,
      roleArn: 'arn:aws:iam::123456789012:role/cloud-access',
      sessionName: SESSION,
      requestId: REQUEST,
      failed: false,
      eventId: 'ev-1',
    });
  });

  it('a refused call (errorCode) is marked failed; an IAM user has no role or session', () => {
    expect(
      trailWriteOf(event(record({ errorCode: 'AccessDenied', responseElements: null })), INSTANCE)?.failed,
    ).toBe(true);
    const user = trailWriteOf(
      event(record({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice' } })),
      INSTANCE,
    );
    expect(user).toMatchObject({ actor: 'arn:aws:iam::123456789012:user/alice' });
    expect(user?.roleArn).toBeUndefined();
    expect(user?.sessionName).toBeUndefined();
  });

  it('is no evidence when it names another instance, another event, or is not well formed', () => {
    expect(trailWriteOf(event(record()), 'arn:aws:sso:::instance/ssoins-0000000000000000')).toBeUndefined();
    expect(trailWriteOf(event(record(), 'DeleteAccountAssignment'), INSTANCE)).toBeUndefined();
    expect(trailWriteOf(event('{not json'), INSTANCE)).toBeUndefined();
    expect(trailWriteOf(event(record({ eventSource: 'evil.example.com' })), INSTANCE)).toBeUndefined();
    const params = record().requestParameters;
    for (const bad of [
      { principalId: '../../x' },
      { principalType: 'ROLE' },
      { targetId: '1111' },
      { permissionSetArn: 'arn:aws:sso:::permissionSet/x' },
      { targetType: 'AWS_OU' },
    ])
      expect(
        trailWriteOf(event(record({ requestParameters: { ...params, ...bad } })), INSTANCE),
      ).toBeUndefined();
  });

  it('a session name with a workflow command in it is not taken as one', () => {
    const planted = record({
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::123456789012:assumed-role/cloud-access/::error::x',
        sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/cloud-access' } },
      },
    });
    expect(trailWriteOf(event(planted), INSTANCE)?.sessionName).toBeUndefined();
  });
});

describe('an event’s record is read only as JSON of an object that names the event', () => {
  const event = (name: string, json: string) => ({ EventName: name, CloudTrailEvent: json });
  const put = 'PutInlinePolicyToPermissionSet';

  it('takes the record of the event named', () => {
    expect(eventRecordOf(event(put, JSON.stringify({ eventName: put, a: 1 })), put)).toEqual({
      eventName: put,
      a: 1,
    });
  });

  it.each([
    ['another event', event('CreateAccountAssignment', JSON.stringify({ eventName: put })), put],
    ['a record of another name', event(put, JSON.stringify({ eventName: 'CreateAccountAssignment' })), put],
    ['malformed JSON', event(put, '{"eventName":'), put],
    ['JSON that is no object', event(put, JSON.stringify([put])), put],
    ['no record', { EventName: put }, put],
  ])('is none for %s', (_what, looked, name) => {
    expect(eventRecordOf(looked, name)).toBeUndefined();
  });
});
