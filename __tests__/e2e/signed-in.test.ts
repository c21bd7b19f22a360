// Each step says once, at info level, whom it signed in as: on AWS the assumed-role session (the
// ARN CloudTrail records with its writes, and the session name), on Azure the application (client)
// ID and tenant Entra issued the token to. No credential is ever printed (the fixture's leak check
// runs after every test).
import { describe, expect, it } from '@jest/globals';
import {
  azure,
  azureInputs,
  awsInputs,
  newPrincipal,
  READER,
  runMain,
  runPost,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 200 });
const signedIn = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('Signed in to '));

describe('whom a step signed in as', () => {
  it('AWS: the assumed-role ARN and session name, once in the main step and once in its post step', async () => {
    const inputs = awsInputs({
      principal: 'alice',
      target: '111111111111',
      role: 'ReadOnlyAccess',
      'revoke-on-exit': 'true',
    });
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);
    // The session CloudTrail recorded the create under.
    const session = emulator().aws.cloudTrail.find((e) => e.eventName === 'CreateAccountAssignment')!;
    expect(signedIn(main.stdout)).toEqual([
      `Signed in to AWS as ${session.principalArn} (role session name ${session.sessionName})`,
    ]);
    expect(session.principalArn).toMatch(
      /^arn:aws:sts::123456789012:assumed-role\/cloud-access\/cloud-access-/,
    );

    const post = await runPost(inputs, main.state);
    expect(post.exitCode).toBe(0);
    expect(signedIn(post.stdout)).toHaveLength(1);
    expect(signedIn(post.stdout)[0]).toMatch(
      /^Signed in to AWS as arn:aws:sts::123456789012:assumed-role\/cloud-access\/\S+ \(role session name \S+\)$/,
    );
  });

  it('Azure: the application (client) ID and tenant, and the service principal, once', async () => {
    const step = await runMain(
      azureInputs({ principal: newPrincipal(), role: READER, target: subscription() }),
    );
    expect(step.exitCode).toBe(0);
    const { clientId, tenantId, objectId } = azure();
    expect(signedIn(step.stdout)).toHaveLength(1);
    expect(signedIn(step.stdout)[0]).toMatch(
      new RegExp(
        `^Signed in to Azure as application \\(client\\) ID ${clientId} in tenant ${tenantId} \\(service principal object ID ${objectId}\\)$`,
      ),
    );
  });
});
