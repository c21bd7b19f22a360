// The control API's calls for who used a grant: a person's sign-in through the AWS access portal
// (credentials issued and CloudTrail's GetRoleCredentials record), and such records staged as they
// stand in CloudTrail, in either format, of another instance, or look-alikes (./aws/cloudtrail/portal.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsEmulator } from './aws/index.js';
import { lookedUpEvent } from './aws/account/cloudtrail-record.js';
import { bodyOf } from './control-calls.js';
import { BodyError, FIELD, answerBody, checkFields, timeOf, type Json } from './control-body.js';

const ACCOUNT = FIELD.pattern(/^\d{12}$/, '12 digits');

const HANDLERS: Record<string, (aws: AwsEmulator, body: Json) => unknown> = {
  'POST /_emulator/aws/portal-sign-in': (aws, body) => {
    checkFields(body, {
      user: FIELD.text('a user name or ID'),
      accountId: ACCOUNT,
      permissionSet: FIELD.text('a permission set name or ARN'),
      at: FIELD.time(),
    });
    const at = timeOf(body.at);
    try {
      const signIn = aws.signInToPortal({
        user: String(body.user),
        accountId: String(body.accountId),
        permissionSet: String(body.permissionSet),
        ...(at !== undefined ? { at } : {}),
      });
      return {
        ...(signIn.errorCode ? { errorCode: signIn.errorCode } : { issued: true }),
        event: lookedUpEvent(signIn.event),
      };
    } catch (error) {
      throw new BodyError((error as Error).message);
    }
  },
  'POST /_emulator/aws/role-credentials-events': (aws, body) => {
    checkFields(body, {
      userId: FIELD.text('an Identity Store user ID', true),
      userName: FIELD.text('a user name', true),
      accountId: ACCOUNT,
      roleName: FIELD.text('the permission set name'),
      at: FIELD.time(),
      format: FIELD.oneOf(['current', 'older'], true),
      identityStoreArn: FIELD.text('arn:aws:identitystore::ACCOUNT:identitystore/d-…', true),
      errorCode: FIELD.text('an error code', true),
      errorMessage: FIELD.text('an error message', true),
      eventSource: FIELD.text('an event source', true),
      eventName: FIELD.text('an event name', true),
      awsRegion: FIELD.text('a Region', true),
    });
    if (body.userId === undefined && body.userName === undefined)
      throw new BodyError('"userId" or "userName" is missing: a record names its user');
    const at = timeOf(body.at);
    const { at: _at, ...rest } = body;
    const event = aws.addRoleCredentialsEvent({
      ...(rest as unknown as Parameters<AwsEmulator['addRoleCredentialsEvent']>[0]),
      ...(at !== undefined ? { at } : {}),
    });
    return lookedUpEvent(event);
  },
};

/** Handles the route when it is one of these; false when it is not. */
export async function handleUsageControl(
  aws: AwsEmulator,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): Promise<boolean> {
  const handler = HANDLERS[route];
  if (!handler) return false;
  await answerBody(req, res, bodyOf(route), (body) => handler(aws, body));
  return true;
}
