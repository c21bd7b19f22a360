// What safety-sweep-review.test.ts and safety-sweep-review-answers.test.ts share: an AWS sweep step,
// the runs GitHub reports, the sessions CloudTrail names, and what the step reported. The review is
// two files, so that jest's workers run them side by side.
import { expect } from '@jest/globals';
import type { Emulator } from '../../emulator/index.js';
import { awsInputs, runMain } from './fixture.js';

export const REPOSITORY_ID = '123456789';
export const MINUTE = 60_000;

export interface SweepResult {
  principal: string;
  target: string;
  kind: string;
  action: string;
  reason: string;
  evidence: string;
  status?: string;
  run: { runId: string; attempt: string } | null;
}

/** The helpers over the test file's `emulator`. */
export function sweepReview(emulator: () => Emulator) {
  const aws = () => emulator().aws;

  const sweep = (more: Record<string, string> = {}, env: Record<string, string> = {}) =>
    runMain(awsInputs({ operation: 'sweep', 'github-token': emulator().github.runs.jobToken, ...more }), {
      GITHUB_EVENT_NAME: 'schedule',
      ...env,
    });

  const setRun = (runId: string, status: string, conclusion?: string, attempt = '1') =>
    emulator().github.runs.setRun({
      repository: 'octo-org/octo-repo',
      repositoryId: REPOSITORY_ID,
      runId,
      attempt,
      status,
      ...(conclusion ? { conclusion } : {}),
    });

  const sessionOf = (name: string) => ({
    principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/${name}`,
    sessionName: name,
  });
  const runSession = (runId: string, suffix = '-e') =>
    sessionOf(`cloud-access-${REPOSITORY_ID}-${runId}-1${suffix}`);
  const person = { principalArn: 'arn:aws:iam::123456789012:user/admin' };
  const results = (step: { outputs: Record<string, string> }) =>
    JSON.parse(step.outputs.results ?? '[]') as SweepResult[];
  const byAccount = (step: { outputs: Record<string, string> }) =>
    Object.fromEntries(results(step).map((r) => [r.target, r]));
  const deletes = () => emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment');

  /** Drops CloudTrail's record of a call, as if it had not been delivered yet. */
  const undeliver = (requestId: string) => {
    const trail = aws().cloudTrail as unknown as { requestId: string }[];
    const i = trail.findIndex((e) => e.requestId === requestId);
    expect(i).toBeGreaterThanOrEqual(0);
    trail.splice(i, 1);
  };
  return { aws, sweep, setRun, sessionOf, runSession, person, results, byAccount, deletes, undeliver };
}
