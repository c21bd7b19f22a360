// Shared grants end when the last run that relies on them ends (product.md): a reliance is never a
// claim of creation, so a reliance that itself makes the grant must not leave it for good.
// Through the bundle, as the runner runs it, against the emulator.
import { describe, expect, it } from '@jest/globals';
import { awsAssignment, awsInputs, resultsOf, runMain, runPost, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });
const aws = () => emulator().aws;
const REPOSITORY_ID = '123456789';
const session = (run: string, kind: string) => `cloud-access-${REPOSITORY_ID}-${run}-1${kind}`;
const setRun = (runId: string) =>
  emulator().github.runs.setRun({
    repository: 'octo-org/octo-repo',
    repositoryId: REPOSITORY_ID,
    runId,
    attempt: '1',
    status: 'completed',
    conclusion: 'success',
  });

describe('AWS: a reliance whose duplicate create lands after the grant was deleted', () => {
  // Job B reads the grant job A made as present, then sends its reliance: a create under its `-r`
  // sign-in (AwsAssignmentDriver.registerReliance, src/aws/sso/assignments.ts). If A's post step
  // deleted the grant in between, that create makes the grant again, and nothing will ever end
  // it: B saved no create (a reliance is never the step's own), so B's post step leaves it; and
  // the sweep finds the first create of its current life to be a reliance (`-r`), which
  // aws-evidence.ts rightly never takes for a creation, so it lists it `unproven` on every run,
  // forever. B's step says "reliance registered" and ends SUCCEEDED: a revoke-on-exit job leaves
  // a standing grant, silently. (Azure's reliance PUT answers 201 in this case and says so.)
  // Fix: after a reliance create, read the deletion-status list back to the step's read of the
  // grant: a delete of it since means the reliance made it; then treat it as the step's own
  // creation (sign the create with the `-e` session, or save and prove it for the post step), or
  // at the least warn that nothing will end it.
  it.failing(
    'the grant it made again is ended by a sweep once both runs have ended, or the step warns',
    async () => {
      const inputs = awsInputs({
        principal: 'alice',
        target: '111111111111',
        role: 'ReadOnlyAccess',
        'revoke-on-exit': 'true',
      });
      const a = await runMain(inputs, { GITHUB_RUN_ID: '1' });
      expect(a.exitCode).toBe(0);

      // A's post step ends the grant between B's read and B's reliance create.
      aws().faults.rivalDeletions = [
        {
          accountId: '111111111111',
          caller: {
            principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/${session('1', '-e')}`,
            sessionName: session('1', '-e'),
          },
        },
      ];
      const b = await runMain(inputs, { GITHUB_RUN_ID: '2' });
      expect(b.exitCode).toBe(0);
      expect(b.stdout).toContain('reliance registered');
      expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(true);
      const bPost = await runPost(inputs, b.state);
      expect(bPost.exitCode).toBe(0);
      expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(true);

      setRun('1');
      setRun('2');
      const sweep = await runMain(
        awsInputs({ operation: 'sweep', 'github-token': emulator().github.runs.jobToken }),
        { GITHUB_EVENT_NAME: 'schedule' },
      );
      expect(sweep.exitCode).toBe(0);
      expect(resultsOf(sweep)).toMatchObject([{ kind: 'unproven' }]);
      const warned = b.warnings.length > 0;
      expect({ warned, ended: !aws().hasAssignment(awsAssignment('111111111111')) }).not.toEqual({
        warned: false,
        ended: false,
      });
    },
    60_000,
  );
});
