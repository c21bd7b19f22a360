// The AWS access portal's sign-ins: a person of the Identity Store gets a permission set's role
// credentials in an account (the portal's or the CLI's GetRoleCredentials), and CloudTrail records
// it in the Identity Center account and Region as AWS does: `eventSource` sso.amazonaws.com,
// `eventType` AwsServiceEvent, the user in `userIdentity.onBehalfOf.userId` (older records:
// `userIdentity.userName`, `principalId` the account), the account and the set's name in
// `serviceEventDetails.account_id` / `role_name`, `requestParameters` and `responseElements` null.
// Tests also stage such records directly, in either format, of other instances or look-alikes.
import { createHash, randomBytes } from 'node:crypto';
import type { AwsContext, CloudTrailEvent } from '../account/config.js';
import { OWNER_ACCOUNT_ID } from '../account/model.js';
import type { PlantedTrailEvent } from './trail-caller.js';

/** A GetRoleCredentials record to stage as it stands in CloudTrail. */
export interface RoleCredentialsRecord {
  /** The Identity Store user's ID (the current format's `onBehalfOf.userId`). */
  userId?: string;
  /** The user's name as the older format records it (`userIdentity.userName`); LookupEvents' Username. */
  userName?: string;
  accountId: string;
  /** The permission set's name at the time (`serviceEventDetails.role_name`). */
  roleName: string;
  /** Epoch ms; default now. */
  at?: number;
  /** `current` (default): `userIdentity.onBehalfOf`; `older`: `userIdentity.userName` / `principalId`. */
  format?: 'current' | 'older';
  /** Default this instance's identity store; another instance's records name theirs. */
  identityStoreArn?: string;
  errorCode?: string;
  errorMessage?: string;
  /** For look-alikes: another source or name than `sso.amazonaws.com` / GetRoleCredentials. */
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
}

/** What the portal's sign-in answered: the role's credentials, or the refusal's error code. */
export interface PortalSignIn {
  event: CloudTrailEvent;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: number };
  errorCode?: string;
}

export interface PortalSeams {
  /** Stages a GetRoleCredentials record (or a look-alike) in CloudTrail's history. Returns it. */
  addRoleCredentialsEvent(record: RoleCredentialsRecord): CloudTrailEvent;
  /**
   * A person signs in to an account with a permission set through the portal, at `at` (epoch ms,
   * default now): when they hold it (directly or through a group) the portal issues the role's
   * credentials; either way CloudTrail records a GetRoleCredentials, a refusal with its error.
   * `user` and `permissionSet` take a name or an ID / ARN.
   */
  signInToPortal(signIn: {
    user: string;
    accountId: string;
    permissionSet: string;
    at?: number;
  }): PortalSignIn;
}

const hex = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/** A set's `SessionDuration` (`PT1H`, `PT12H30M` …) in ms; an hour when it reads otherwise. */
function sessionMs(duration: string): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(duration);
  const ms = m ? (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60_000 : 0;
  return ms > 0 ? ms : 3_600_000;
}

/** The record's `userIdentity` in the format asked for. */
function userIdentityOf(record: RoleCredentialsRecord, identityStoreArn: string): Record<string, unknown> {
  return record.format === 'older'
    ? {
        type: 'Unknown',
        principalId: OWNER_ACCOUNT_ID,
        accountId: OWNER_ACCOUNT_ID,
        userName: record.userName ?? record.userId ?? '',
      }
    : {
        type: 'IdentityCenterUser',
        accountId: OWNER_ACCOUNT_ID,
        onBehalfOf: { userId: record.userId ?? '', identityStoreArn },
        credentialId: hex(`credential:${record.userId}:${record.at}`, 40),
      };
}

export function createPortalSeams(
  aws: AwsContext,
  plant: (event: PlantedTrailEvent) => CloudTrailEvent,
): PortalSeams {
  const ownIdentityStoreArn = () =>
    `arn:aws:identitystore::${OWNER_ACCOUNT_ID}:identitystore/${aws.state.identityStoreId}`;

  const addRoleCredentialsEvent = (record: RoleCredentialsRecord): CloudTrailEvent => {
    const identityStoreArn = record.identityStoreArn ?? ownIdentityStoreArn();
    const userIdentity = userIdentityOf(record, identityStoreArn);
    return plant({
      eventSource: record.eventSource ?? 'sso.amazonaws.com',
      eventName: record.eventName ?? 'GetRoleCredentials',
      // Not an IAM principal: the event is in the history of the account its userIdentity names.
      principalArn: `arn:aws:identitystore::${OWNER_ACCOUNT_ID}:user/${record.userId ?? record.userName ?? ''}`,
      username: record.userName ?? record.userId ?? '',
      userIdentity,
      eventType: 'AwsServiceEvent',
      serviceEventDetails: { role_name: record.roleName, account_id: record.accountId },
      readOnly: false,
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
      ...(record.errorCode ? { errorCode: record.errorCode, errorMessage: record.errorMessage ?? '' } : {}),
      ...(record.awsRegion ? { awsRegion: record.awsRegion } : {}),
      ...(record.at !== undefined ? { at: record.at } : {}),
    });
  };

  const signInToPortal: PortalSeams['signInToPortal'] = ({ user, accountId, permissionSet, at }) => {
    const { state } = aws;
    state.settle();
    const person = state.users.get(user) ?? [...state.users.values()].find((u) => u.userName === user);
    if (!person) throw new Error(`emulator: user ${user} is not in the emulated AWS state`);
    const set = state.permissionSets.get(permissionSet) ?? state.permissionSetByName(permissionSet);
    if (!set) throw new Error(`emulator: permission set ${permissionSet} is not in the emulated AWS state`);
    const groups = [...state.groups.values()].filter((g) => g.members?.has(person.id)).map((g) => g.id);
    const holds = [...state.assignments.values()].some(
      (a) =>
        a.accountId === accountId &&
        a.permissionSetArn === set.arn &&
        (a.principalId === person.id || (a.principalType === 'GROUP' && groups.includes(a.principalId))),
    );
    const base = { userId: person.id, userName: person.userName, accountId, roleName: set.name };
    if (!holds) {
      const event = addRoleCredentialsEvent({
        ...base,
        ...(at !== undefined ? { at } : {}),
        errorCode: 'ForbiddenException',
        errorMessage: 'No access',
      });
      return { event, errorCode: 'ForbiddenException' };
    }
    const issuedAt = at ?? Date.now();
    const roleName = `AWSReservedSSO_${set.name}_${hex(set.arn, 16)}`;
    const credentials = {
      accessKeyId: `ASIA${hex(`portal:${randomBytes(8).toString('hex')}`, 16).toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
      expiration: issuedAt + sessionMs(set.sessionDuration),
    };
    aws.issueCredential({
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      expiration: new Date(credentials.expiration),
      principalArn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${person.userName}`,
      sessionName: person.userName,
      issuedAt: new Date(issuedAt),
    });
    return { event: addRoleCredentialsEvent({ ...base, at: issuedAt }), credentials };
  };

  return { addRoleCredentialsEvent, signInToPortal };
}
