// `operation: request` end to end through the bundle: a person's request under a policy read from
// the default branch, checked against what GitHub signs (the OIDC token's claims) and says (the
// environment's protection, the run's approvals), before any cloud call; allowed, a PIM grant that
// Azure ends at its expiry.
import { describe, expect, it } from '@jest/globals';
import { azure, azureInputs, newPrincipal, runMain, subscription, useEmulator } from './fixture.js';

const emulator = useEmulator();

const RUN_ID = '9876543210';
const ALICE_ID = 583231;
const github = () => emulator().github;
const env = {
  GITHUB_RUN_ID: RUN_ID,
  GITHUB_EVENT_NAME: 'workflow_dispatch',
  GITHUB_REPOSITORY: 'octo-org/octo-repo',
};

function policyFor(alice: string, extra = ''): string {
  return `version: 1
people:
  - github-id: ${ALICE_ID}
    github: alice
    azure: ${alice}
  - github-id: 999
    github: carol
rules:
  - name: sub-reader
    cloud: azure
    who: [alice]
    role: Reader
    target: ['${subscription()}']
    max-duration: 2h
    justification: required
    environment: production-access
${extra}`;
}

/** A request that every check allows, unless a test changes one setting. */
function stage(options: { policy?: string; claims?: Record<string, string>; created?: number } = {}) {
  const alice = newPrincipal();
  const repo = github().repository;
  repo.setFile('main', '.github/access-policy.yml', options.policy ?? policyFor(alice));
  repo.setEnvironment('production-access', {
    reviewers: ['carol'],
    preventSelfReview: true,
    canAdminsBypass: false,
    branches: ['main'],
  });
  repo.setApprovals(RUN_ID, [
    { environment: 'production-access', state: 'approved', login: 'carol', userId: 999 },
  ]);
  github().runs.setRun({
    repository: 'octo-org/octo-repo',
    runId: RUN_ID,
    status: 'in_progress',
    event: 'workflow_dispatch',
    startedAt: options.created ?? Date.now() - 60_000,
  });
  github().claims = {
    event_name: 'workflow_dispatch',
    run_id: RUN_ID,
    run_attempt: '1',
    actor: 'alice',
    actor_id: String(ALICE_ID),
    environment: 'production-access',
    ref: 'refs/heads/main',
    ...options.claims,
  };
  return alice;
}

const request = (inputs: Record<string, string> = {}) =>
  runMain(
    azureInputs({
      operation: 'request',
      rule: 'sub-reader',
      duration: '1h',
      justification: 'INC-42: the dashboards are down',
      'github-token': emulator().env.EMULATOR_GITHUB_TOKEN!,
      ...inputs,
    }),
    env,
  );

const cloudRequests = () => emulator().requests.filter((r) => r.service !== 'github');

describe('an allowed request: a PIM grant until its expiry', () => {
  it("grants the policy's Entra object ID for the duration asked, naming requester, rule, approver and policy commit", async () => {
    const alice = stage();
    const step = await request();
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    const [pim] = azure().pim().requests;
    expect(pim!.properties).toMatchObject({
      requestType: 'AdminAssign',
      principalId: alice,
      scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT1H' } },
    });
    const head = github().repository.headOf('main');
    expect(step.summary).toContain(head);
    expect(step.summary).toContain('carol');
    expect(step.summary).toContain('INC-42');
    // One query (default branch, head, policy), environment, its branch policies, approvals, run.
    const githubReads = emulator().requests.filter((r) => r.service === 'github' && r.operation !== 'token');
    expect(githubReads.map((r) => r.operation)).toEqual([
      'GraphQL',
      'GetEnvironment',
      'ListDeploymentBranchPolicies',
      'GetReviewsForRun',
      'GetWorkflowRun',
    ]);
  });

  it("says in `results` who asked, under which rule, why, who approved, the policy's commit and the expiry", async () => {
    stage();
    const before = Date.now();
    const step = await request({ justification: 'INC-42 <b>"x"</b>' });
    expect(step.exitCode).toBe(0);
    const [result] = JSON.parse(step.outputs.results!) as Record<string, unknown>[];
    expect(result!.request).toEqual({
      requester: 'alice',
      requesterId: String(ALICE_ID),
      rule: 'sub-reader',
      justification: 'INC-42 <b>"x"</b>',
      approvers: ['carol'],
      policy: '.github/access-policy.yml',
      policyCommit: github().repository.headOf('main'),
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const expiresAt = Date.parse((result!.request as { expiresAt: string }).expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3_600_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });

  it('allows "protected branches only" while the default branch is protected, in five GitHub requests', async () => {
    stage();
    const repo = github().repository;
    repo.setEnvironment('production-access', {
      reviewers: ['carol'],
      preventSelfReview: true,
      canAdminsBypass: false,
      branches: 'protected',
    });
    repo.protectedBranches.add('main');
    const step = await request();
    expect(step.exitCode).toBe(0);
    const githubReads = emulator().requests.filter((r) => r.service === 'github' && r.operation !== 'token');
    expect(githubReads.map((r) => r.operation)).toEqual([
      'GraphQL',
      'GetEnvironment',
      'ListBranches',
      'GetReviewsForRun',
      'GetWorkflowRun',
    ]);
  });

  it("reads the policy of the default branch only: a branch's edited policy is never read", async () => {
    const alice = stage();
    github().repository.setFile(
      'evil',
      '.github/access-policy.yml',
      policyFor(alice).replace('max-duration: 2h', 'max-duration: 30d'),
    );
    const step = await request({ duration: '20d' });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain('max-duration');
    expect(cloudRequests()).toEqual([]);
  });

  it('keeps a hostile justification inert in the log and the summary', async () => {
    stage();
    const step = await request({ justification: '::error::forged <img src=x onerror=alert(1)> %0A' });
    expect(step.exitCode).toBe(0);
    expect(step.summary).not.toContain('<img');
    expect(step.stdout).not.toMatch(/^::error::forged/m);
  });
});

describe('refusals before any cloud request, each naming the setting and the fix', () => {
  const refused = async (
    options: Parameters<typeof stage>[0],
    text: RegExp,
    inputs: Record<string, string> = {},
  ) => {
    stage(options);
    const step = await request(inputs);
    expect(step.exitCode).toBe(1);
    expect(step.outputs.status).toBe('FAILED');
    expect(step.stdout).toMatch(text);
    expect(cloudRequests()).toEqual([]);
    return step;
  };

  it('refuses another event than workflow_dispatch', () =>
    refused({ claims: { event_name: 'push' } }, /workflow_dispatch` only.*event_name: push/));
  it("refuses a re-run (the run's second attempt)", () =>
    refused({ claims: { run_attempt: '2' } }, /first attempt only.*start a new request/));
  it('refuses an actor_id the policy does not list, whatever the login', () =>
    refused(
      { claims: { actor_id: '424242', actor: 'alice' } },
      /GitHub account ID 424242.*not in the policy's `people`/,
    ));
  it("refuses a token of another repository than the run's", () =>
    refused(
      { claims: { repository_id: '999999' } },
      /repository_id: 999999`, but this run's GITHUB_REPOSITORY_ID/,
    ));
  it('refuses a run from another branch than the default', () =>
    refused({ claims: { ref: 'refs/heads/evil' } }, /refs\/heads\/main.*ref: refs\/heads\/evil/));
  it('refuses a job in another environment than the rule names', () =>
    refused({ claims: { environment: 'staging' } }, /`environment` must be `production-access`/));
  it("refuses a stale run (past the rule's request-expiry)", () =>
    refused({ created: Date.now() - 9 * 3_600_000 }, /past its `request-expiry`/));
  it("refuses a duration past the rule's max-duration", () =>
    refused({}, /longer than its `max-duration`/, { duration: '3h' }));
  it('refuses a request without the justification the rule requires', () =>
    refused({}, /`justification` is required/, { justification: '' }));

  it("names the permission when GitHub's GraphQL API refuses the policy's read", async () => {
    // A repository the token may not read, whose run this is (its OIDC token says so too).
    stage({ claims: { repository: 'octo-org/unseen' } });
    const step = await runMain(
      azureInputs({
        operation: 'request',
        rule: 'sub-reader',
        duration: '1h',
        justification: 'INC-42',
        'github-token': emulator().env.EMULATOR_GITHUB_TOKEN!,
      }),
      { ...env, GITHUB_REPOSITORY: 'octo-org/unseen' },
    );
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toMatch(/GitHub refused to read the policy .*NOT_FOUND: Could not resolve/);
    expect(step.stdout).toContain('contents: read');
    expect(cloudRequests()).toEqual([]);
  });

  it('refuses an environment without prevent_self_review', async () => {
    stage();
    github().repository.setEnvironment('production-access', {
      reviewers: ['carol'],
      preventSelfReview: false,
      canAdminsBypass: false,
      branches: ['main'],
    });
    const step = await request();
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toMatch(/prevent_self_review` is off.*Prevent self-review/);
    expect(cloudRequests()).toEqual([]);
  });

  it("refuses a run whose only approval is the requester's own", async () => {
    stage();
    github().repository.setApprovals(RUN_ID, [
      { environment: 'production-access', state: 'approved', login: 'alice', userId: ALICE_ID },
    ]);
    const step = await request();
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toMatch(
      /no approval for environment `production-access`.*by someone other than the requester/,
    );
    expect(cloudRequests()).toEqual([]);
  });

  it('refuses an environment every branch may deploy to, and one admins may bypass', async () => {
    stage();
    github().repository.setEnvironment('production-access', {
      reviewers: ['carol'],
      preventSelfReview: true,
      canAdminsBypass: true,
      branches: null,
    });
    const step = await request();
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain('every branch may deploy');
    expect(step.stdout).toContain('can_admins_bypass');
    expect(cloudRequests()).toEqual([]);
  });
});
