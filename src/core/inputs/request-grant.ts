// An allowed access request's grant: an assign of the policy's identity, targets and roles for the
// duration asked, built from the request's config as parseInputs made it. Every input was read and
// checked once, for the request; only the lists the policy names are parsed here, as an assign's
// are, so that a rule's target or role the cloud would not take is refused before any write. Pure.
import { InputErrors } from '../errors.js';
import { awsGrantLists } from './aws.js';
import { awsTimeBoundOf } from './aws-sign-in.js';
import { azureRequestedGrants } from './azure.js';
import type { AwsConfig, AzureConfig, ConfigOf, StepConfig } from './config.js';
import { Problems } from './fields.js';
import type { ListInputs } from './grants.js';

/** Who is granted, and what: the policy's words for the person, the rule's (or the asked) targets and roles. */
export interface RequestedLists extends ListInputs {
  /** The `principal-type` of a person in the policy: a user. */
  principalType: StepConfig['principalType'];
}

/**
 * `config`'s grant as an assign of `lists`, revoked by no post step; an AWS grant's `duration` is
 * counted from `now` (its time-bound claim is the caller's: aws-sign-in.ts timeBoundClaim).
 * Throws InputErrors naming `principal`, `target` or `role` for a value the cloud would not take.
 */
export function requestedGrant(
  config: ConfigOf<'request'>,
  lists: RequestedLists,
  now: () => number,
): StepConfig {
  const problems = new Problems();
  const { request, warnings: _warnings, ...plan } = config;
  const assign = { ...plan, operation: 'assign' as const, revokeOnExit: false };
  const grant: StepConfig =
    assign.cloud === 'aws'
      ? awsGrant(problems, assign, lists, request.duration, now)
      : {
          ...assign,
          operation: 'assign',
          ...azureRequestedGrants(problems, assign, lists),
          principalType: lists.principalType as AzureConfig['principalType'],
        };
  if (problems.list.length > 0) throw new InputErrors(problems.list);
  return grant;
}

function awsGrant(
  problems: Problems,
  plan: Omit<AwsConfig, 'operation'>,
  lists: RequestedLists,
  duration: ConfigOf<'request'>['request']['duration'],
  now: () => number,
): AwsConfig {
  const timeBound = awsTimeBoundOf(problems, duration, duration.iso, now);
  const { orgTargets, grants } = awsGrantLists(problems, lists, false);
  return {
    ...plan,
    operation: 'assign',
    timeBound,
    grants,
    ...(orgTargets ? { orgTargets } : {}),
    principalType: lists.principalType as AwsConfig['principalType'],
  };
}
