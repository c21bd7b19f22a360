// What a request makes of GitHub's answers (github/request-answers.ts), with a stand-in for each
// read: an answer not in GitHub's shape (an HTML page from a proxy, a 404, an entry without its
// user) is a refusal or counts for nothing, never an approval or a protected environment; and
// "protected branches only" admits every protected branch, so another protected branch than the
// default one is as good as a second deployment branch.
import { describe, expect, it } from '@jest/globals';
import type { PolicyAtHead } from '../../src/core/access-request.js';
import { parseAccessPolicy, type AccessPolicy } from '../../src/core/manifest/access-policy.js';
import { policyAtHead, runEvidence, type Get } from '../../src/github/request-answers.js';
import type { AllowedRequest } from '../../src/operations/request/check.js';
import { evidenceRefusals } from '../../src/operations/request/evidence-check.js';
import { requestClaims } from '../fixtures/request-run.js';

const RUN = '9876543210';
const NOW = Date.parse('2026-11-30T08:00:00Z');
const ENV = 'production-access';

const policy = (
  parseAccessPolicy(`version: 1
people:
  - github-id: 583231
    github: alice
    azure: 0a11ce00-0000-4000-8000-000000000001
rules:
  - name: prod-reader
    cloud: azure
    who: [alice]
    role: Reader
    target: ['/subscriptions/00000000-0000-0000-0000-000000000000']
    max-duration: 2h
    environment: ${ENV}
`) as { policy: AccessPolicy }
).policy;
const allowed: AllowedRequest = {
  rule: policy.rules[0]!,
  person: policy.people[0]!,
  principal: '0a11ce00-0000-4000-8000-000000000001',
  targets: [],
  roles: [],
};
const head: PolicyAtHead = { defaultBranch: 'main', commit: 'a'.repeat(40), text: '' };
const claims = requestClaims({ runId: RUN });

type Answers = Record<string, unknown>;
/** GitHub's answers as it writes them: an environment deploying from main alone, carol's approval. */
const github = (): Answers => ({
  'GET /repos/{owner}/{repo}/environments/{environment_name}': {
    name: ENV,
    can_admins_bypass: false,
    protection_rules: [
      {
        type: 'required_reviewers',
        prevent_self_review: true,
        reviewers: [{ type: 'User', reviewer: { id: 999 } }],
      },
    ],
    deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
  },
  'GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies': {
    total_count: 1,
    branch_policies: [{ id: 1, name: 'main', type: 'branch' }],
  },
  'GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals': [
    {
      state: 'approved',
      environments: [{ id: 1, name: ENV }],
      user: { id: 999, login: 'carol' },
      comment: '',
    },
  ],
  'GET /repos/{owner}/{repo}/actions/runs/{run_id}': { id: Number(RUN), created_at: '2026-11-30T07:30:00Z' },
});

/** A stand-in for request-reads.ts's GET: the answer for the route (undefined: a 404), and each route asked. */
function getOf(answers: Answers) {
  const asked: { route: string; params: Record<string, unknown> }[] = [];
  const get: Get = (route, params) => {
    asked.push({ route, params });
    return Promise.resolve(answers[route] as Record<string, unknown> | undefined);
  };
  return { get, asked };
}

async function refusalsOf(answers: Answers): Promise<string[]> {
  const { get } = getOf(answers);
  const evidence = await runEvidence(get, ENV, RUN, 'main');
  return evidenceRefusals(allowed, claims, head, evidence, policy, NOW).map((e) => e.describe());
}

describe("a request's evidence, as GitHub answers it", () => {
  it('allows the run as GitHub answers it: main alone deploys, carol approved', async () => {
    expect(await refusalsOf(github())).toEqual([]);
  });

  describe('"protected branches only" admits every protected branch, not the default branch alone', () => {
    const protectedOnly = (branches: unknown): Answers => ({
      ...github(),
      'GET /repos/{owner}/{repo}/environments/{environment_name}': {
        ...(github()['GET /repos/{owner}/{repo}/environments/{environment_name}'] as object),
        deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
      },
      'GET /repos/{owner}/{repo}/branches': branches,
      // the default branch read alone, as GitHub answers it: protected
      'GET /repos/{owner}/{repo}/branches/{branch}': { name: 'main', protected: true },
    });

    it('allows it while main is the only protected branch', async () => {
      expect(await refusalsOf(protectedOnly([{ name: 'main', protected: true }]))).toEqual([]);
    });

    it('refuses it while another branch is protected too: a workflow there could deploy to the environment', async () => {
      const refused = await refusalsOf(
        protectedOnly([
          { name: 'main', protected: true },
          { name: 'release', protected: true },
        ]),
      );
      expect(refused).toHaveLength(1);
      expect(refused[0]).toContain('`release`');
      expect(refused[0]).toContain('Deployment branches');
    });

    it('refuses it while no branch, or another branch alone, is protected (every branch, or that one, may deploy)', async () => {
      expect(await refusalsOf(protectedOnly([]))).toEqual([expect.stringContaining('is not protected')]);
      expect(await refusalsOf(protectedOnly([{ name: 'release', protected: true }]))).toEqual([
        expect.stringContaining('is not protected'),
      ]);
    });

    it('reads the protected branches in one request, whose answer not in its shape is no protection', async () => {
      const { get, asked } = getOf(protectedOnly([{ name: 'main', protected: true }]));
      await runEvidence(get, ENV, RUN, 'main');
      expect(asked.map((a) => a.route)).toEqual([
        'GET /repos/{owner}/{repo}/environments/{environment_name}',
        'GET /repos/{owner}/{repo}/branches',
        'GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals',
        'GET /repos/{owner}/{repo}/actions/runs/{run_id}',
      ]);
      expect(asked[1]!.params).toMatchObject({ protected: true, per_page: 100 });
      for (const odd of ['<html>Bad gateway</html>', undefined, { name: 'main', protected: true }])
        expect(await refusalsOf(protectedOnly(odd))).toEqual([expect.stringContaining('is not protected')]);
    });
  });

  it('refuses custom deployment branch policies past the page read (more than the default branch)', async () => {
    const refused = await refusalsOf({
      ...github(),
      'GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies': {
        total_count: 101,
        branch_policies: [{ id: 1, name: 'main', type: 'branch' }],
      },
    });
    expect(refused).toEqual([expect.stringContaining('admit more than the default branch')]);
  });

  it('refuses a tag policy named as the default branch: it is not the branch', async () => {
    const refused = await refusalsOf({
      ...github(),
      'GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies': {
        total_count: 1,
        branch_policies: [{ id: 1, name: 'main', type: 'tag' }],
      },
    });
    expect(refused).toEqual([expect.stringContaining('admit more than the default branch')]);
  });

  describe('an HTML page (a proxy, a wrong GITHUB_API_URL) where GitHub answers JSON is never a grant', () => {
    const html = '<!DOCTYPE html><html><body>Sign in</body></html>';
    it.each([
      [
        'the environment',
        'GET /repos/{owner}/{repo}/environments/{environment_name}',
        /no required reviewers/,
      ],
      [
        'its deployment branch policies',
        'GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies',
        /admit more than the default branch/,
      ],
    ])('%s: a refusal naming the setting', async (_what, route, refusal) => {
      const refused = await refusalsOf({ ...github(), [route]: html });
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.join('\n')).toMatch(refusal);
    });

    it.each([
      ["the run's approvals", 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals'],
      ['the run', 'GET /repos/{owner}/{repo}/actions/runs/{run_id}'],
    ])('%s: not in the shape GitHub documents', async (what, route) => {
      await expect(refusalsOf({ ...github(), [route]: html })).rejects.toThrow(
        `GitHub's answer for ${what} is not in the shape GitHub documents`,
      );
      await expect(refusalsOf({ ...github(), [route]: undefined })).rejects.toThrow('not in the shape');
    });

    it('a missing environment (a 404) is one GitHub would create unprotected', async () => {
      const refused = await refusalsOf({
        ...github(),
        'GET /repos/{owner}/{repo}/environments/{environment_name}': undefined,
      });
      expect(refused).toEqual([expect.stringContaining('does not exist')]);
    });
  });

  it("refuses another run's answer for the run (its id is not the token's run_id)", async () => {
    await expect(
      refusalsOf({
        ...github(),
        'GET /repos/{owner}/{repo}/actions/runs/{run_id}': { id: 1, created_at: '2026-11-30T07:30:00Z' },
      }),
    ).rejects.toThrow("GitHub's answer for the run is not in the shape");
  });

  it.each([
    ['without its user', { state: 'approved', environments: [{ name: ENV }] }],
    [
      'with a user without an id',
      { state: 'approved', environments: [{ name: ENV }], user: { login: 'ghost' } },
    ],
    [
      'with a user whose id is not a number',
      { state: 'approved', environments: [{ name: ENV }], user: { id: 'x', login: 'x' } },
    ],
    [
      'with environments not a list',
      { state: 'approved', environments: ENV, user: { id: 999, login: 'carol' } },
    ],
    [
      'in another state',
      { state: 'rejected', environments: [{ name: ENV }], user: { id: 999, login: 'carol' } },
    ],
    [
      'for another environment',
      { state: 'approved', environments: [{ name: 'staging' }], user: { id: 999, login: 'carol' } },
    ],
    [
      "for the environment's name in another case",
      { state: 'approved', environments: [{ name: ENV.toUpperCase() }], user: { id: 999, login: 'carol' } },
    ],
    [
      'by the requester',
      { state: 'approved', environments: [{ name: ENV }], user: { id: 583231, login: 'alice' } },
    ],
    [
      'by the requester, the id written as a string',
      { state: 'approved', environments: [{ name: ENV }], user: { id: '583231', login: 'someone-else' } },
    ],
  ])('an approval %s counts for nothing', async (_what, entry) => {
    const refused = await refusalsOf({
      ...github(),
      'GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals': [entry],
    });
    expect(refused).toEqual([expect.stringContaining('the run has no approval')]);
  });
});

describe('the policy at the default branch head, as GraphQL answers it', () => {
  const answer = (file: unknown, oid: unknown = 'b'.repeat(40)) => ({
    repository: { defaultBranchRef: { name: 'main', target: { oid, file } } },
  });
  const read = (body: unknown) =>
    policyAtHead(() => Promise.resolve(body), {
      owner: 'octo-org',
      name: 'octo-repo',
      path: '.github/access-policy.yml',
    });
  const blob = (more: Record<string, unknown> = {}) => ({
    type: 'blob',
    object: { byteSize: 12, isBinary: false, isTruncated: false, text: 'version: 1\n', ...more },
  });

  it('reads the text of the file in the commit the answer names', async () => {
    expect(await read(answer(blob()))).toEqual({
      defaultBranch: 'main',
      commit: 'b'.repeat(40),
      text: 'version: 1\n',
    });
    expect(await read(answer(null))).toEqual({
      defaultBranch: 'main',
      commit: 'b'.repeat(40),
      text: undefined,
    });
  });

  it.each([
    ['truncated', blob({ isTruncated: true })],
    ['binary', blob({ isBinary: true, text: null })],
    ['a directory', { type: 'tree', object: {} }],
    ['a submodule', { type: 'commit', object: null }],
    ['without its text', blob({ text: undefined })],
    ['with isTruncated unsaid', blob({ isTruncated: undefined })],
  ])('refuses a file that is %s: never a part of the policy', async (_what, file) => {
    await expect(read(answer(file))).rejects.toThrow('is not a text file GitHub returns whole');
  });

  it('refuses a file past 256 KiB', async () => {
    await expect(read(answer(blob({ byteSize: 256 * 1024 + 1 })))).rejects.toThrow('larger than 256 KiB');
  });

  it.each([
    ['an HTML page', '<html></html>'],
    ['no repository', { repository: null }],
    ['no default branch', { repository: { defaultBranchRef: null } }],
    ['a commit that is not an object ID', answer(blob(), 'main')],
    ['a commit in capitals', answer(blob(), 'B'.repeat(40))],
  ])('refuses %s', async (_what, body) => {
    await expect(read(body)).rejects.toThrow("GitHub's answer for the default branch is not in the shape");
  });
});
