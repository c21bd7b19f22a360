// Where and as whom an AWS step signs in, and what its grants carry of the run that made them: the
// role session name, which CloudTrail records with every write (core/run-marks.ts), says which run
// made them and whether they are ephemeral, so that `operation: sweep` can end them later. Also
// `duration`, which makes an AWS step's grants ephemeral: IAM Identity Center has no end time for an
// assignment, so the post step ends them when the job does, and a sweep after their expiry.
import { LONGEST_RUN_MS, parseDuration, PIM_MINIMUM_MS, type Duration } from '../duration.js';
import { AWS_REGION, IAM_ROLE_ARN, IDENTITY_STORE_ID, INSTANCE_ARN, ROLE_SESSION_NAME } from '../patterns.js';
import { runMarkOfSessionName, sessionNameOf } from '../run-marks.js';
import type { AwsConfig, AwsTimeBound, StepConfig, StepOperation, WorkflowContext } from './config.js';
import { CloudAccessError } from '../errors.js';
import { optionalMatching, printable, requiredInput, type InputReader, type Problems } from './fields.js';

export type AwsSignIn = Pick<
  AwsConfig,
  'region' | 'roleToAssume' | 'roleSessionName' | 'relianceSessionName' | 'instanceArn' | 'identityStoreId'
>;

/** Whether the step's grants end with its job (and when, with `duration`): the session name says so. */
export interface Ephemerality {
  ephemeral: boolean;
  /** Unix seconds. */
  expiresAt?: number | undefined;
  /** An access request's: ended at `expiresAt` alone, by a sweep, whatever the run's state (`-t`). */
  timeBound?: boolean | undefined;
}

/** No `aws-region` and no `AWS_REGION`: the instance's Region is where every call goes. */
const NO_REGION = {
  problem: 'is required (or set `AWS_REGION`)',
  fix: 'use the Region of your IAM Identity Center instance, e.g. `us-east-1`',
};

/** Where and as whom the step signs in, the Region, the role and the instance when given. */
export function awsSignIn(
  problems: Problems,
  read: InputReader,
  env: NodeJS.ProcessEnv,
  context: WorkflowContext,
  grants: Ephemerality,
): AwsSignIn & { warnings: string[] } {
  const given = read('aws-region').trim() || env.AWS_REGION || env.AWS_DEFAULT_REGION || '';
  const region = requiredInput(problems, 'aws-region', given, NO_REGION, (name) =>
    AWS_REGION.test(name) ? undefined : { problem: 'is not an AWS Region name like `us-east-1`' },
  );

  const roleToAssume = optionalMatching(
    problems,
    read,
    'role-to-assume',
    IAM_ROLE_ARN,
    'is not an IAM role ARN',
    'use `arn:<partition>:iam::<12-digit account>:role/<name>`',
  );
  const written = read('role-session-name').trim();
  const roleSessionName = written || defaultSessionName(context, grants);
  if (!ROLE_SESSION_NAME.test(roleSessionName)) {
    problems.add(
      'role-session-name',
      `\`${printable(roleSessionName)}\` must be 2–64 characters of letters, digits and \`+=,.@_-\``,
    );
  } else if (written && runMarkOfSessionName(written)) {
    // A name of the default's form says which run made the grants and that they end with it: the
    // sweep would revoke them when that run ends, whatever this step meant.
    problems.add(
      'role-session-name',
      `\`${written}\` has the form of the default session name, which records the run and whether its grants are ephemeral, for \`operation: sweep\`; only the action writes it`,
      'leave `role-session-name` unset, or choose a name that does not begin `cloud-access-<digits>-`',
    );
  }
  const warnings =
    written && grants.ephemeral
      ? [
          `\`role-session-name\` is set, so this step's grants are left out of every \`operation: sweep\`: only the default session name records the run that made them. If the job ends before its post step${grants.expiresAt !== undefined ? ' or outlives their `duration`' : ''}, nothing ends them; and a grant it finds already in place gets no reliance registered, so a sweep may end it while this job runs. Leave \`role-session-name\` unset`,
        ]
      : [];
  const instanceArn = optionalMatching(
    problems,
    read,
    'instance-arn',
    INSTANCE_ARN,
    'is not an IAM Identity Center instance ARN',
    'use `arn:aws:sso:::instance/ssoins-<16 characters>` (any partition), or omit it to discover the instance',
  );
  const identityStoreId = optionalMatching(
    problems,
    read,
    'identity-store-id',
    IDENTITY_STORE_ID,
    'is not an identity store ID like `d-1234567890`',
  );
  const relianceSessionName = roleToAssume && !written ? relianceSessionNameOf(context, grants) : undefined;
  return {
    region,
    roleToAssume,
    roleSessionName,
    ...(relianceSessionName ? { relianceSessionName } : {}),
    instanceArn,
    identityStoreId,
    warnings,
  };
}

/**
 * `cloud-access-<repository id>-<run id>-<attempt>-r[<expiry>]`: the name an ephemeral step signs
 * in with a second time to register its reliance on grants it finds in place, which no sweep takes
 * for a claim of creation. Undefined when the grants are permanent or the run is not fully known
 * (then no sweep reads the step's grants at all).
 */
export function relianceSessionNameOf(context: WorkflowContext, grants: Ephemerality): string | undefined {
  const { repositoryId, runId, runAttempt } = context;
  if (!grants.ephemeral || !repositoryId || !runId || !runAttempt) return undefined;
  return sessionNameOf({ repositoryId, runId, attempt: runAttempt, ...grants, relies: true });
}

/**
 * An access request's AWS grant (an assign with `duration`): signed in under a time-bound claim,
 * `…-t<expiry>`, and relying on a grant it finds in place under `…-tr<expiry>`, which a sweep ends
 * once the expiry has passed, whatever the run's state. The request's job ends at once, so nothing
 * is saved for its post step, which leaves the grant: `revoke-on-exit` stays false. Refused when no
 * sweep could read the claim: without `role-to-assume` (the sweep's `created-by`) or outside a run
 * GitHub fully names (parseRequestInputs refuses `role-session-name` before). An Azure grant is
 * left as it is: PIM ends it.
 */
export function timeBoundClaim<C extends StepConfig>(config: C): C;
export function timeBoundClaim(config: StepConfig): StepConfig {
  if (config.cloud !== 'aws') return config;
  const { repositoryId, runId, runAttempt: attempt } = config.run;
  const expiresAt = config.timeBound?.expiresAt;
  const run = repositoryId && runId && attempt ? { repositoryId, runId, attempt } : undefined;
  const mark = { ephemeral: true, timeBound: true, expiresAt };
  const roleSessionName = run && expiresAt ? sessionNameOf({ ...run, ...mark }) : undefined;
  const relianceSessionName = run && expiresAt ? sessionNameOf({ ...run, ...mark, relies: true }) : undefined;
  if (!config.roleToAssume || !roleSessionName || !relianceSessionName)
    throw new CloudAccessError(
      "an AWS request's grant cannot carry its time-bound claim (`-t<expiry>`), so no sweep could end it",
      {
        fix: 'run the request on GitHub Actions (GITHUB_REPOSITORY_ID, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT) with `role-to-assume`',
      },
    );
  return { ...config, revokeOnExit: false, roleSessionName, relianceSessionName };
}

/**
 * `cloud-access-<repository id>-<run id>-<attempt>[-e[<expiry>]]`, which the sweep reads back; the
 * old `cloud-access-<run id>-<attempt>` (which no sweep takes for a claim) when the run is not
 * fully known, as outside a runner.
 */
export function defaultSessionName(context: WorkflowContext, grants: Ephemerality): string {
  const { repositoryId, runId, runAttempt } = context;
  const recorded =
    repositoryId && runId && runAttempt
      ? sessionNameOf({ repositoryId, runId, attempt: runAttempt, ...grants })
      : undefined;
  return recorded ?? `cloud-access-${runId ?? 'local'}-${runAttempt ?? '1'}`;
}

/**
 * `duration` on AWS: 5 minutes (as on Azure) to 35 days (the sweep's default `lookback`, the longest
 * a GitHub run lasts: a sweep must still find the create once it expires), for `operation: assign`
 * only; counted from `now`.
 */
export function awsTimeBound(
  problems: Problems,
  read: InputReader,
  operation: StepOperation,
  now: () => number,
): AwsTimeBound | undefined {
  const text = read('duration').trim();
  // A sweep's and a report's `duration` are refused with their inputs (./sweep-inputs.ts,
  // ./report-inputs.ts); a request's is read with its own (./request-inputs.ts), and its grant's
  // here, as an assign's.
  if (text === '' || ['sweep', 'report', 'request', 'review'].includes(operation)) return undefined;
  if (operation !== 'assign') {
    problems.add(
      'duration',
      `applies to \`operation: assign\` only, not \`${operation}\`: it is how long the grants the step creates last`,
      'remove `duration`',
    );
    return undefined;
  }
  const duration = parseDuration(text);
  if (typeof duration === 'string') {
    problems.add('duration', `\`${printable(text)}\` ${duration}`);
    return undefined;
  }
  return awsTimeBoundOf(problems, duration, text, now);
}

/**
 * An assign's `duration` on AWS, parsed (`text` as written): held to 5 minutes and 35 days, and
 * its expiry counted from `now`. An access request's grant is given its request's duration here.
 */
export function awsTimeBoundOf(
  problems: Problems,
  duration: Duration,
  text: string,
  now: () => number,
): AwsTimeBound {
  if (duration.ms < PIM_MINIMUM_MS)
    problems.add('duration', `\`${printable(text)}\` is shorter than 5 minutes`, 'use `PT5M` or more');
  else if (duration.ms > LONGEST_RUN_MS)
    problems.add(
      'duration',
      `\`${printable(text)}\` is longer than 35 days: \`operation: sweep\` ends an AWS grant it finds in CloudTrail within its \`lookback\` (35 days by default, the longest a GitHub workflow run lasts)`,
      'use `P35D` or less, or leave `duration` empty for a grant that stays',
    );
  return { duration, expiresAt: Math.floor((now() + duration.ms) / 1000) };
}
