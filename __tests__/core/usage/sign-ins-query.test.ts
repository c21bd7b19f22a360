// The Athena query for the sign-ins and its rows read back as records
// (src/core/usage/sign-ins-query.ts): one query over the window, the table's names quoted and
// nothing else let in; a row of either record format is the same use as LookupEvents' record.
import { describe, expect, it } from '@jest/globals';
import { recordOfRow, signInsQuery, SIGN_IN_COLUMNS } from '../../../src/core/usage/sign-ins-query.js';
import { signInOf } from '../../../src/core/usage/sign-ins.js';

const USER = '906744abcd-1a2b3c4d-0000-4000-8000-00000000a11c';
const STORE_ID = 'd-1234567890';
const STORE = `arn:aws:identitystore::123456789012:identitystore/${STORE_ID}`;
const names = [...SIGN_IN_COLUMNS];

/** A row as Athena answers it for the query's columns (undefined: SQL NULL). */
function row(fields: Partial<Record<(typeof SIGN_IN_COLUMNS)[number], string | undefined>> = {}) {
  const values: Record<string, string | undefined> = {
    eventid: 'e-1',
    eventtime: '2026-03-01T10:00:00Z',
    eventsource: 'sso.amazonaws.com',
    eventname: 'GetRoleCredentials',
    errorcode: undefined,
    useridentity: JSON.stringify({
      type: 'IdentityCenterUser',
      principalid: null,
      accountid: '123456789012',
      username: null,
      onbehalfof: { userid: USER, identitystorearn: STORE },
      sessioncontext: null,
    }),
    serviceeventdetails: '{"role_name":"ReadOnlyAccess","account_id":"111111111111"}',
    ...fields,
  };
  return names.map((n) => values[n]);
}

describe('the query', () => {
  it("reads GetRoleCredentials of IAM Identity Center since the window's start, from the quoted table", () => {
    const sql = signInsQuery(
      { database: 'cloudtrail', table: 'org_trail' },
      Date.parse('2026-03-01T00:00:00.500Z'),
    );
    expect(sql).toContain('FROM "cloudtrail"."org_trail"');
    expect(sql).toContain(
      "WHERE eventsource = 'sso.amazonaws.com' AND eventname = 'GetRoleCredentials' AND eventtime >= '2026-03-01T00:00:00Z'",
    );
    expect(sql).toContain('json_format(CAST(useridentity AS JSON)) AS useridentity');
  });

  it.each(['org_trail"; DROP TABLE x; --', "t' OR '1'='1", 'Upper', ''])(
    'refuses a table name that is not a Glue name: %j',
    (table) => {
      expect(() => signInsQuery({ database: 'cloudtrail', table }, 0)).toThrow(/is not a Glue name/);
    },
  );
});

describe('a result row', () => {
  it('of the current format is the same use as the record LookupEvents gives', () => {
    expect(signInOf(recordOfRow(names, row()), STORE_ID)).toEqual({
      signIn: {
        eventId: 'e-1',
        at: Date.parse('2026-03-01T10:00:00Z'),
        userId: USER,
        accountId: '111111111111',
        setName: 'ReadOnlyAccess',
      },
    });
  });

  it('of the older format names its user by name', () => {
    const older = row({
      useridentity: JSON.stringify({
        type: 'Unknown',
        principalid: '123456789012',
        username: 'bob',
        onbehalfof: null,
      }),
    });
    expect(signInOf(recordOfRow(names, older), STORE_ID)).toMatchObject({ signIn: { userName: 'bob' } });
  });

  it.each([
    ['an error', { errorcode: 'ForbiddenException' }, 'error'],
    ['another event', { eventname: 'ListAccountRoles' }, 'other-event'],
    ['another source', { eventsource: 'sso.amazonaws.com.example.net' }, 'other-source'],
    [
      "another instance's",
      {
        useridentity: JSON.stringify({
          onbehalfof: {
            userid: USER,
            identitystorearn: 'arn:aws:identitystore::999999999999:identitystore/d-9',
          },
        }),
      },
      'other-instance',
    ],
    ['a detail that is not JSON', { serviceeventdetails: 'role_name=x' }, 'malformed'],
    ['an identity that is not JSON', { useridentity: '{type=IdentityCenterUser}' }, 'malformed'],
    ['no time', { eventtime: undefined }, 'malformed'],
  ])('that is %s is no use', (_label, fields, why) => {
    expect(signInOf(recordOfRow(names, row(fields)), STORE_ID)).toEqual({ notAUse: why });
  });
});
