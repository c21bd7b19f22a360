// What an ephemeral grant carries of the run that made it, end to end through the bundled steps:
// the AWS role session name (`-e`, or `-e<expiry>` with `duration`) and the Azure description's
// run marker, which `operation: sweep` reads; and AWS `duration`, revoked at exit by the post step.
import { describe, expect, it } from '@jest/globals';
import {
  awsAssignment,
  awsInputs,
  azure,
  azureInputs,
  newPrincipal,
  READER,
  runMain,
  runPost,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator();

/** The harness's run: GITHUB_REPOSITORY_ID, GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT. */
const RUN = '123456789-1234567890-1';
const grant = { principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' };
const sessionNames = () => emulator().aws.sessions.map((s) => s.sessionName);

describe('AWS: the role session name records the run', () => {
  it('a revoke-on-exit step signs in as cloud-access-<repository id>-<run id>-<attempt>-e, main and post', async () => {
    const inputs = awsInputs({ ...grant, 'revoke-on-exit': 'true' });
    const granted = await runMain(inputs);
    expect(granted.exitCode).toBe(0);
    expect(granted.warnings).toEqual([]);
    expect(sessionNames()).toEqual([`cloud-access-${RUN}-e`]);
    const revoked = await runPost(inputs, granted.state);
    expect(revoked.exitCode).toBe(0);
    // The post step signs in as the main step did.
    expect(sessionNames()).toEqual([`cloud-access-${RUN}-e`, `cloud-access-${RUN}-e`]);
  });

  it('a `duration: 30m` step sets expires-at, signs in with -e<expiry>, and its post step revokes without revoke-on-exit', async () => {
    const inputs = awsInputs({ ...grant, duration: '30m' });
    const before = Date.now();
    const granted = await runMain(inputs);
    expect(granted.exitCode).toBe(0);
    const expiresAt = granted.outputs['expires-at']!;
    expect(expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    const expiry = Date.parse(expiresAt) / 1000;
    expect(expiry).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 1800);
    expect(expiry).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 1800);
    expect(sessionNames()).toEqual([`cloud-access-${RUN}-e${expiry}`]);
    expect(JSON.parse(granted.outputs.results!)).toMatchObject([{ action: 'create', expiresAt }]);
    expect(emulator().aws.hasAssignment(awsAssignment('111111111111'))).toBe(true);

    // The runner evaluates `with:` again for the post step: `revoke-on-exit` is still unset (or false).
    const revoked = await runPost({ ...inputs, 'revoke-on-exit': 'false' }, granted.state);
    expect(revoked.exitCode).toBe(0);
    expect(emulator().aws.hasAssignment(awsAssignment('111111111111'))).toBe(false);
    expect(sessionNames().at(-1)).toBe(`cloud-access-${RUN}-e${expiry}`);
  });

  it('a revoke-on-exit step with its own role-session-name is warned that no sweep will see its grants', async () => {
    const inputs = awsInputs({ ...grant, 'revoke-on-exit': 'true', 'role-session-name': 'deploy' });
    const granted = await runMain(inputs);
    expect(granted.exitCode).toBe(0);
    expect(sessionNames()).toEqual(['deploy']);
    expect(granted.warnings).toEqual([
      expect.stringMatching(
        /^`role-session-name` is set, so this step's grants are left out of every `operation: sweep`.*Leave `role-session-name` unset$/,
      ),
    ]);
    await runPost(inputs, granted.state);
  });
});

describe('Azure: the run marker', () => {
  it("a revoke-on-exit assignment's description ends with the run's marker", async () => {
    const principal = newPrincipal();
    const granted = await runMain(
      azureInputs({
        principal,
        target: subscription(),
        role: READER,
        'revoke-on-exit': 'true',
        description: 'deploy to prod',
      }),
    );
    expect(granted.exitCode).toBe(0);
    expect(azure().findRoleAssignment(subscription(), principal, READER)?.properties.description).toBe(
      'deploy to prod [cloud-access:octo-org/octo-repo:run:1234567890:1:e]',
    );
    // Every assignment the emulator holds that carries a run marker is this one.
    expect(
      azure()
        .roleAssignments()
        .filter((a) => a.properties.description?.includes('[cloud-access:'))
        .map((a) => a.properties.principalId),
    ).toEqual([principal]);
  });
});
