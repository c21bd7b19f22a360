// The control API's access request, so a person running `npm run emulator` can walk
// `operation: request` end to end (the `aws-request` and `azure-request` local modes): in one
// call, the access policy on the default branch (an AWS rule and an Azure one), the protected
// environment, the run and its approval, and the OIDC token's claims of a `workflow_dispatch` by
// the requester, as the request step reads them. The step's refusals can be staged the same way: a
// run on another event or branch, a requester the policy's rules do not name, no approval. Every
// body is checked field by field (./control-body.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsEmulator } from './aws/index.js';
import type { AzureEmulator } from './azure/index.js';
import { SAMPLE_DIRECTORY } from './azure/sample-directory.js';
import { SEED } from './azure/tenant/state.js';
import { answerBody, checkFields, FIELD, type Json } from './control-body.js';
import { bodyOf } from './control-calls.js';
import type { GithubOidcEmulator } from './github/oidc.js';
import type { GithubRepositoryEmulator } from './github/repository.js';
import type { GithubRunsEmulator } from './github/runs.js';

/** The people of the policy, by GitHub account ID (the token's `actor_id`). */
const ALICE = { login: 'alice', id: 583231, entra: SAMPLE_DIRECTORY.users[0].id };
const CAROL = { login: 'carol', id: 1048576 };
/** In the policy's `people`, named by no rule's `who`: a request of theirs is the policy's refusal. */
const BOB = { login: 'bob', id: 2097152 };
const REQUESTERS = { alice: ALICE, bob: BOB } as const;
/** The local modes' run (examples/local/*.env: GITHUB_RUN_ID). */
const LOCAL_RUN_ID = '1234567890';
const ENVIRONMENT = 'production-access';
/** Where the policy is read, the branch a request must run from. */
export const ACCESS_POLICY = { branch: 'main', path: '.github/access-policy.yml' } as const;

type Target = {
  aws: AwsEmulator;
  azure?: AzureEmulator;
  github: GithubOidcEmulator & {
    readonly runs: GithubRunsEmulator;
    readonly repository: GithubRepositoryEmulator;
  };
};

/** The policy: alice may ask for ReadOnlyAccess in 111111111111 (AWS) and Reader on rg-app (Azure), carol approves. */
function accessPolicy(aws: AwsEmulator, subscriptionId: string): string {
  return `version: 1
people:
  - github-id: ${ALICE.id}
    github: ${ALICE.login}
    aws: ${aws.userId(ALICE.login)}
    azure: ${ALICE.entra}
  - github-id: ${BOB.id}
    github: ${BOB.login}
    aws: ${aws.userId(BOB.login)}
  - github-id: ${CAROL.id}
    github: ${CAROL.login}
rules:
  - name: prod-read
    cloud: aws
    who: [${ALICE.login}]
    role: ReadOnlyAccess
    target: ['111111111111']
    max-duration: 2h
    justification: required
    environment: ${ENVIRONMENT}
    approvers: [${CAROL.login}]
  - name: prod-reader
    cloud: azure
    who: [${ALICE.login}]
    role: Reader
    target: ['/subscriptions/${subscriptionId}/resourceGroups/rg-app']
    max-duration: 2h
    justification: required
    environment: ${ENVIRONMENT}
    approvers: [${CAROL.login}]
`;
}

/** `POST /_emulator/github/access-request`: a request of alice's (or bob's), approved by carol unless said otherwise. */
export function stageAccessRequest({ aws, azure, github }: Target, body: Json) {
  checkFields(body, {
    runId: FIELD.pattern(/^[1-9][0-9]{0,19}$/, 'the run ID (digits)', true),
    approved: { check: (v) => typeof v === 'boolean', takes: 'true or false', optional: true },
    requester: FIELD.oneOf(Object.keys(REQUESTERS), true),
    event: FIELD.pattern(/^[a-z_]{1,64}$/, 'an event name such as workflow_dispatch or push', true),
    ref: FIELD.pattern(/^refs\/(heads|tags)\/[^\s]{1,200}$/, 'a ref such as refs/heads/main', true),
  });
  const runId = typeof body.runId === 'string' ? body.runId : LOCAL_RUN_ID;
  const requester = REQUESTERS[(body.requester as keyof typeof REQUESTERS | undefined) ?? 'alice'];
  const event = typeof body.event === 'string' ? body.event : 'workflow_dispatch';
  const ref = typeof body.ref === 'string' ? body.ref : `refs/heads/${ACCESS_POLICY.branch}`;
  const policy = accessPolicy(aws, azure?.subscriptionId ?? SEED.subscriptionId);
  github.repository.setFile(ACCESS_POLICY.branch, ACCESS_POLICY.path, policy);
  // alice's Entra user, replicated long ago (createdAt 0), for the Azure rule's grant.
  if (azure && !azure.state.principals.has(ALICE.entra))
    azure.addPrincipal({ type: 'User', id: ALICE.entra, createdAt: 0 });
  github.repository.setEnvironment(ENVIRONMENT, {
    reviewers: [CAROL.login],
    preventSelfReview: true,
    canAdminsBypass: false,
    branches: [ACCESS_POLICY.branch],
  });
  github.repository.setApprovals(
    runId,
    body.approved === false
      ? []
      : [{ environment: ENVIRONMENT, state: 'approved', login: CAROL.login, userId: CAROL.id }],
  );
  github.runs.setRun({
    repository: 'octo-org/octo-repo',
    repositoryId: '123456789',
    runId,
    attempt: '1',
    status: 'in_progress',
    event,
    actor: { login: requester.login, id: requester.id },
    startedAt: Date.now(),
  });
  github.claims = {
    ...github.claims,
    event_name: event,
    run_id: runId,
    run_attempt: '1',
    actor: requester.login,
    actor_id: String(requester.id),
    environment: ENVIRONMENT,
    ref,
  };
  return {
    runId,
    rules: { aws: 'prod-read', azure: 'prod-reader' },
    requester: requester.login,
    event,
    ref,
    environment: ENVIRONMENT,
    approved: body.approved !== false,
    policy,
  };
}

export async function handleRequestControl(
  target: Target,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): Promise<boolean> {
  if (route !== 'POST /_emulator/github/access-request') return false;
  await answerBody(req, res, bodyOf(route), (body) => stageAccessRequest(target, body));
  return true;
}
