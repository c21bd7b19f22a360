// What the emulator serves, machine-readable: each service's operations and the error codes each
// can answer. The contract test checks every entry against the official Smithy models.
import { COMMON_AUTH_ERRORS } from './aws/protocol/auth.js';
import { ATHENA_OPERATIONS } from './aws/athena/athena.js';
import { CLOUDTRAIL_OPERATIONS } from './aws/cloudtrail/cloudtrail.js';
import { IDENTITY_STORE_OPERATIONS } from './aws/identity-store/identity-store.js';
import { ORGANIZATIONS_OPERATIONS } from './aws/organizations/operations.js';
import { PIPELINE_ERRORS } from './aws/json/json-service.js';
import { SSO_ADMIN_OPERATIONS } from './aws/sso-admin/sso-admin.js';
import { STS_COMMON_ERRORS, STS_OPERATIONS } from './aws/sts/sts.js';

export interface EmulatedOperation {
  write: boolean;
  /** Error codes as they appear on the wire (awsJson `__type` suffix, awsQuery `<Code>`). */
  errors: string[];
}

export interface EmulatedServiceCatalog {
  /** File name under __tests__/fixtures/contracts/aws/. */
  model: string;
  /** Smithy namespace of the service's shapes. */
  namespace: string;
  /** The service shape's name. */
  serviceShape: string;
  protocol: 'awsJson1_1' | 'awsQuery';
  operations: Record<string, EmulatedOperation>;
}

const withPipelineErrors = (operations: Record<string, { write: boolean; errors: readonly string[] }>) =>
  Object.fromEntries(
    Object.entries(operations).map(([name, op]) => [
      name,
      { write: op.write, errors: [...new Set([...op.errors, ...PIPELINE_ERRORS])].sort() },
    ]),
  );

export const EMULATED_OPERATIONS: Record<
  'sso-admin' | 'identitystore' | 'sts' | 'organizations',
  EmulatedServiceCatalog
> = {
  'sso-admin': {
    model: 'sso-admin-2020-07-20.json',
    namespace: 'com.amazonaws.ssoadmin',
    serviceShape: 'SWBExternalService',
    protocol: 'awsJson1_1',
    operations: withPipelineErrors(SSO_ADMIN_OPERATIONS),
  },
  identitystore: {
    model: 'identitystore-2020-06-15.json',
    namespace: 'com.amazonaws.identitystore',
    serviceShape: 'AWSIdentityStore',
    protocol: 'awsJson1_1',
    operations: withPipelineErrors(IDENTITY_STORE_OPERATIONS),
  },
  organizations: {
    model: 'organizations-2016-11-28.json',
    namespace: 'com.amazonaws.organizations',
    serviceShape: 'AWSOrganizationsV20161128',
    protocol: 'awsJson1_1',
    // Reads only; the pipeline's own errors (throttling, faults) are the model's, in each list.
    operations: Object.fromEntries(
      Object.entries(ORGANIZATIONS_OPERATIONS).map(([name, op]) => [
        name,
        { write: false, errors: [...op.errors].sort() },
      ]),
    ),
  },
  sts: {
    model: 'sts-2011-06-15.json',
    namespace: 'com.amazonaws.sts',
    serviceShape: 'AWSSecurityTokenServiceV20110615',
    protocol: 'awsQuery',
    operations: Object.fromEntries(
      Object.entries(STS_OPERATIONS).map(([name, op]) => [name, { write: op.write, errors: [...op.errors] }]),
    ),
  },
};

/**
 * CloudTrail (LookupEvents only), kept apart from EMULATED_OPERATIONS: its model is a cut
 * (`__tests__/fixtures/contracts/README.md`) and its errors are checked on their own
 * (`__tests__/emulator/cloudtrail-contract.test.ts`): the operation's own, ThrottlingException
 * (its quota), and the pipeline's answers to injected faults.
 */
export const EMULATED_CLOUDTRAIL: EmulatedServiceCatalog = {
  model: 'cloudtrail-2013-11-01.json',
  namespace: 'com.amazonaws.cloudtrail',
  serviceShape: 'CloudTrail_20131101',
  protocol: 'awsJson1_1',
  operations: withPipelineErrors(CLOUDTRAIL_OPERATIONS),
};

/**
 * Athena (the query runs a sign-in read needs), kept apart as CloudTrail is: its model is a cut
 * (`__tests__/fixtures/contracts/README.md`); its own throttling error is TooManyRequestsException,
 * and the pipeline's answers to injected faults are AWS's common errors
 * (`__tests__/emulator/athena-contract.test.ts`).
 */
export const EMULATED_ATHENA: EmulatedServiceCatalog = {
  model: 'athena-2017-05-18.json',
  namespace: 'com.amazonaws.athena',
  serviceShape: 'AmazonAthena',
  protocol: 'awsJson1_1',
  operations: Object.fromEntries(
    Object.entries(ATHENA_OPERATIONS).map(([name, op]) => [
      name,
      {
        write: op.write,
        errors: [
          ...new Set([...op.errors, ...PIPELINE_ERRORS.filter((e) => e !== 'ThrottlingException')]),
        ].sort(),
      },
    ]),
  ),
};

/** GitHub's REST API operations served, by their operation IDs' names in the request log. */
export const EMULATED_GITHUB_OPERATIONS = {
  GetWorkflowRun: 'GET /repos/{owner}/{repo}/actions/runs/{run_id} (and /repositories/{repository_id}/…)',
  GetWorkflowRunAttempt:
    'GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number} (and /repositories/{repository_id}/…)',
} as const;

/**
 * Errors outside any one operation's model list, from AWS's "Common Errors" pages: request
 * authentication on the JSON services, an unknown X-Amz-Target, and STS's common query errors.
 */
export const COMMON_ERRORS = {
  auth: [...COMMON_AUTH_ERRORS] as string[],
  protocol: ['UnknownOperationException'] as string[],
  sts: [...STS_COMMON_ERRORS] as string[],
};
