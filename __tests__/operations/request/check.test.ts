// The request's checks are pure: each refusal names the rule, the setting and the fix.
import { describe, expect, it } from '@jest/globals';
import type { PolicyAtHead } from '../../../src/core/access-request.js';
import { parseAccessPolicy, type AccessPolicy } from '../../../src/core/manifest/access-policy.js';
import { claimRefusals, ruleDecision } from '../../../src/operations/request/check.js';
import { requestClaims } from '../../fixtures/request-run.js';

const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000000';
const parsed = parseAccessPolicy(`version: 1
people:
  - github-id: 583231
    github: alice
    azure: 0a11ce00-0000-4000-8000-000000000001
  - github-id: 999
    github: carol
  - github-id: 41898282
    github: helper[bot]
    azure: 0a11ce00-0000-4000-8000-000000000002
rules:
  - name: prod-reader
    cloud: azure
    who: [alice]
    role: Reader
    target: ['${SCOPE}']
    max-duration: 2h
    environment: production-access
    approvers: [carol]
`);
const policy = (parsed as { policy: AccessPolicy }).policy;
const claims = requestClaims({ runId: '1' });
/** The run as its environment says (GITHUB_REPOSITORY, GITHUB_REPOSITORY_ID). */
const run = { repository: 'octo-org/octo-repo', repositoryId: '123456789' };
const head: PolicyAtHead = {
  defaultBranch: 'main',
  commit: 'a'.repeat(40),
  text: '',
};
const asked = {
  policy: '.github/access-policy.yml',
  rule: 'prod-reader',
  duration: { iso: 'PT1H', ms: 3_600_000 },
  justification: '',
  githubToken: 't',
  targets: [],
  roles: [],
  cloud: 'azure' as const,
};
const allowed = () => {
  const decided = ruleDecision(asked, claims, head, policy);
  if (!('allowed' in decided)) throw new Error(decided.refused.map((r) => r.describe()).join('\n'));
  return decided.allowed;
};

describe('the checks of a request', () => {
  it("allows the rule's targets and roles for the policy's Entra object ID", () => {
    expect(allowed()).toMatchObject({
      principal: '0a11ce00-0000-4000-8000-000000000001',
      targets: [SCOPE],
      roles: ['Reader'],
    });
  });

  it('refuses a bot the rule does not name, naming the rule and its `who`', () => {
    const decided = ruleDecision(
      asked,
      { ...claims, actorId: '41898282', actor: 'helper[bot]' },
      head,
      policy,
    );
    expect('refused' in decided && decided.refused[0]!.describe()).toMatch(
      /rule `prod-reader`: `who` does not name the bot `helper\[bot\]`.*add/,
    );
  });

  it('leaves the targets and roles asked to be decided once resolved: a name is not what it grants', () => {
    const decided = ruleDecision(
      { ...asked, targets: [`${SCOPE}/resourceGroups/other`], roles: ['reader'] },
      claims,
      head,
      policy,
    );
    expect(decided).toMatchObject({
      allowed: { targets: [`${SCOPE}/resourceGroups/other`], roles: ['reader'] },
    });
  });

  it('refuses a run without an actor_id claim', () => {
    expect(claimRefusals({ ...claims, actorId: undefined }, run)[0]!.describe()).toContain('no `actor_id`');
  });

  it("allows a token whose repository and repository ID are the run's", () => {
    expect(claimRefusals(claims, run)).toEqual([]);
  });

  it("refuses a token of another repository ID than the run's, naming both", () => {
    const refused = claimRefusals({ ...claims, repositoryId: '999999' }, run).map((r) => r.describe());
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/`repository_id: 999999`.*GITHUB_REPOSITORY_ID is `123456789`/);
  });

  it("refuses a token of another repository than the run's, naming both", () => {
    const refused = claimRefusals({ ...claims, repository: 'octo-org/other' }, run).map((r) => r.describe());
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/`repository: octo-org\/other`.*GITHUB_REPOSITORY is `octo-org\/octo-repo`/);
  });

  it('refuses a token without a repository ID, or a run that does not say its own', () => {
    expect(claimRefusals({ ...claims, repositoryId: undefined }, run)[0]!.describe()).toContain(
      '`repository_id: (none)`',
    );
    expect(
      claimRefusals(claims, { repository: run.repository, repositoryId: undefined })[0]!.describe(),
    ).toMatch(/GITHUB_REPOSITORY_ID is `\(none\)`/);
  });
});
