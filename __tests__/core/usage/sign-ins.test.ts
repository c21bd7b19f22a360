// Which CloudTrail records are a use of a grant (src/core/usage/sign-ins.ts): IAM Identity Center's
// GetRoleCredentials in either format; an error, another event or source, another instance's
// sign-in and a malformed record are none, each counted by why.
import { describe, expect, it } from '@jest/globals';
import { signInOf, signInsOf } from '../../../src/core/usage/sign-ins.js';

const USER = '906744abcd-1a2b3c4d-0000-4000-8000-00000000a11c';
const STORE_ID = 'd-1234567890';
const STORE = `arn:aws:identitystore::123456789012:identitystore/${STORE_ID}`;

/** A record as AWS writes it (the current format). */
function getRoleCredentials(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IdentityCenterUser',
      accountId: '123456789012',
      onBehalfOf: { userId: USER, identityStoreArn: STORE },
    },
    eventTime: '2026-03-01T10:00:00Z',
    eventSource: 'sso.amazonaws.com',
    eventName: 'GetRoleCredentials',
    awsRegion: 'us-east-1',
    requestParameters: null,
    responseElements: null,
    eventID: 'e-1',
    eventType: 'AwsServiceEvent',
    serviceEventDetails: { role_name: 'ReadOnlyAccess', account_id: '111111111111' },
    ...fields,
  };
}

describe('a GetRoleCredentials record', () => {
  it('as AWS writes it now: the user by ID, the account and the set name, its time and event ID', () => {
    expect(signInOf(JSON.stringify(getRoleCredentials()), STORE_ID)).toEqual({
      signIn: {
        eventId: 'e-1',
        at: Date.parse('2026-03-01T10:00:00Z'),
        userId: USER,
        accountId: '111111111111',
        setName: 'ReadOnlyAccess',
      },
    });
  });

  it('in the older format: the user by name only', () => {
    const older = getRoleCredentials({
      userIdentity: {
        type: 'Unknown',
        principalId: '123456789012',
        accountId: '123456789012',
        userName: 'bob',
      },
    });
    expect(signInOf(older, STORE_ID)).toMatchObject({ signIn: { userName: 'bob' } });
    expect(signInOf(older, STORE_ID)).not.toHaveProperty('signIn.userId');
  });

  it.each([
    ['an error', { errorCode: 'ForbiddenException', errorMessage: 'No access' }, 'error'],
    ['ListAccountRoles', { eventName: 'ListAccountRoles' }, 'other-event'],
    ['a look-alike source', { eventSource: 'sso.amazonaws.com.evil.example' }, 'other-source'],
    [
      "another instance's sign-in",
      { userIdentity: { onBehalfOf: { userId: USER, identityStoreArn: `${STORE}9` } } },
      'other-instance',
    ],
    [
      'an account that is not one',
      { serviceEventDetails: { role_name: 'X', account_id: '1111' } },
      'malformed',
    ],
    ['no time', { eventTime: 'yesterday' }, 'malformed'],
  ])('is no use when it is %s', (_what, fields, why) => {
    expect(signInOf(getRoleCredentials(fields), STORE_ID)).toEqual({ notAUse: why });
  });

  it('hostile names stay out: a set name or user name with runner commands or markup is malformed, not a use', () => {
    const hostile = [
      { serviceEventDetails: { role_name: '::set-output name=x::1', account_id: '111111111111' } },
      { serviceEventDetails: { role_name: 'A\n##[error]x', account_id: '111111111111' } },
      { userIdentity: { userName: 'bob\n::add-mask::x' } },
      { userIdentity: { onBehalfOf: { userId: '<img src=x>', identityStoreArn: STORE } } },
      { eventID: '`rm -rf`' },
    ];
    for (const fields of hostile)
      expect(signInOf(getRoleCredentials(fields), STORE_ID)).toEqual({ notAUse: 'malformed' });
  });

  it('text that is not a JSON object is malformed', () => {
    for (const text of ['', 'null', '[1]', '{', '<html>'])
      expect(signInOf(text)).toEqual({ notAUse: 'malformed' });
  });
});

describe('signInsOf', () => {
  it('keeps the uses and counts the rest by why', () => {
    const read = signInsOf(
      [
        getRoleCredentials(),
        getRoleCredentials({ eventID: 'e-2', errorCode: 'X' }),
        getRoleCredentials({ eventName: 'Federate' }),
        'garbage',
      ],
      STORE_ID,
    );
    expect(read.signIns.map((s) => s.eventId)).toEqual(['e-1']);
    expect(read.notUses).toEqual({ error: 1, 'other-event': 1, malformed: 1 });
  });
});
