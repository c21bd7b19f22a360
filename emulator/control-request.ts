// The control API's access request, so a person running `npm run emulator` can walk
// `operation: request` end to end (the `aws-request` local mode): in one call, the access policy on
// the default branch, the protected environment, the run and its approval, and the OIDC token's
// claims of a `workflow_dispatch` by the requester, as the request step reads them. Every body is
// checked field by field (./control-body.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsEmulator } from './aws/index.js';
import { answerBody, checkFields, FIELD, type Json } from './control-body.js';
import { bodyOf } from './control-calls.js';
import type { GithubOidcEmulator } from './github/oidc.js';
import type { GithubRepositoryEmulator } from './github/repository.js';
import type { GithubRunsEmulator } from './github/runs.js';

/** The requester and the approver, by GitHub account ID (the token's `actor_id`). */
const REQUESTER = { login: 'alice', id: 583231 };
const APPROVER = { login: 'carol', id: 1048576 };
/** The local modes' run (examples/local/*.env: GITHUB_RUN_ID). */
const LOCAL_RUN_ID = '1234567890';
const ENVIRONMENT = 'production-access';

type Target = {
  aws: AwsEmulator;
  github: GithubOidcEmulator & {
    readonly runs: GithubRunsEmulator;
    readonly repository: GithubRepositoryEmulator;
  };
};

/** `POST /_emulator/github/access-request`: an approved request of alice's, under rule `prod-read`. */
export function stageAccessRequest({ aws, github }: Target, body: Json) {
  checkFields(body, {
    runId: FIELD.pattern(/^[1-9][0-9]{0,19}$/, 'the run ID (digits)', true),
    approved: { check: (v) => typeof v === 'boolean', takes: 'true or false', optional: true },
  });
  const runId = typeof body.runId === 'string' ? body.runId : LOCAL_RUN_ID;
  const policy = `version: 1
people:
  - github-id: ${REQUESTER.id}
    github: ${REQUESTER.login}
    aws: ${aws.userId(REQUESTER.login)}
  - github-id: ${APPROVER.id}
    github: ${APPROVER.login}
rules:
  - name: prod-read
    cloud: aws
    who: [${REQUESTER.login}]
    role: ReadOnlyAccess
    target: ['111111111111']
    max-duration: 2h
    justification: required
    environment: ${ENVIRONMENT}
    approvers: [${APPROVER.login}]
`;
  github.repository.setFile('main', '.github/access-policy.yml', policy);
  github.repository.setEnvironment(ENVIRONMENT, {
    reviewers: [APPROVER.login],
    preventSelfReview: true,
    canAdminsBypass: false,
    branches: ['main'],
  });
  github.repository.setApprovals(
    runId,
    body.approved === false
      ? []
      : [{ environment: ENVIRONMENT, state: 'approved', login: APPROVER.login, userId: APPROVER.id }],
  );
  github.runs.setRun({
    repository: 'octo-org/octo-repo',
    repositoryId: '123456789',
    runId,
    attempt: '1',
    status: 'in_progress',
    event: 'workflow_dispatch',
    startedAt: Date.now(),
  });
  github.claims = {
    ...github.claims,
    event_name: 'workflow_dispatch',
    run_id: runId,
    run_attempt: '1',
    actor: REQUESTER.login,
    actor_id: String(REQUESTER.id),
    environment: ENVIRONMENT,
    ref: 'refs/heads/main',
  };
  return { runId, rule: 'prod-read', requester: REQUESTER.login, environment: ENVIRONMENT, policy };
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
