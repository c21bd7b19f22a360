// What GitHub records of a request's run is judged apart from its claims: the environment's
// protection, the approvals and the run's age; each refusal names the setting and the fix.
import { describe, expect, it } from '@jest/globals';
import type { PolicyAtHead } from '../../../src/core/access-request.js';
import { parseAccessPolicy, type AccessPolicy } from '../../../src/core/manifest/access-policy.js';
import type { AllowedRequest } from '../../../src/operations/request/check.js';
import { approversOf, evidenceRefusals } from '../../../src/operations/request/evidence-check.js';
import { approvedRun, requestClaims } from '../../fixtures/request-run.js';

const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000000';
const parsed = parseAccessPolicy(`version: 1
people:
  - github-id: 583231
    github: alice
    azure: 0a11ce00-0000-4000-8000-000000000001
  - github-id: 999
    github: carol
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
const head: PolicyAtHead = { defaultBranch: 'main', commit: 'a'.repeat(40), text: '' };
const evidence = approvedRun(0);
const allowed: AllowedRequest = {
  rule: policy.rules[0]!,
  person: policy.people[0]!,
  principal: '0a11ce00-0000-4000-8000-000000000001',
  targets: [SCOPE],
  roles: ['Reader'],
};

describe("the run's evidence of a request", () => {
  it("refuses nothing for a run the rule's approver approved, in an environment protected as it must be", () => {
    expect(evidenceRefusals(allowed, claims, head, evidence, policy, 1000)).toEqual([]);
  });

  it("refuses an approval from someone outside the rule's approvers", () => {
    const other = {
      ...evidence,
      approvals: [{ state: 'approved', environments: ['production-access'], userId: '12', login: 'mallory' }],
    };
    expect(evidenceRefusals(allowed, claims, head, other, policy, 1000)[0]!.describe()).toMatch(
      /among its `approvers` \(carol\)/,
    );
  });

  it('refuses "protected branches only" while the default branch is not protected (GitHub then lets every branch deploy)', () => {
    const protectedOnly = {
      ...evidence,
      environment: { ...evidence.environment!, branches: 'protected' as const },
    };
    expect(evidenceRefusals(allowed, claims, head, protectedOnly, policy, 1000)[0]!.describe()).toContain(
      'is not protected',
    );
    expect(
      evidenceRefusals(
        allowed,
        claims,
        head,
        { ...protectedOnly, environment: { ...protectedOnly.environment, defaultBranchProtected: true } },
        policy,
        1000,
      ),
    ).toEqual([]);
  });

  it('refuses an environment that does not exist (GitHub would create it unprotected)', () => {
    expect(
      evidenceRefusals(
        allowed,
        claims,
        head,
        { ...evidence, environment: undefined },
        policy,
        1000,
      )[0]!.describe(),
    ).toContain('does not exist');
  });

  it("names who approved the run's deployment to the rule's environment, but the requester", () => {
    const approvals = [
      ...evidence.approvals,
      { state: 'approved', environments: ['production-access'], userId: '583231', login: 'alice' },
      { state: 'approved', environments: ['staging'], userId: '12', login: 'mallory' },
    ];
    expect(approversOf({ ...evidence, approvals }, allowed.rule, '583231', policy)).toEqual(['carol']);
  });

  it("names only the approvals that count: one outside the rule's approvers is not who approved", () => {
    const approvals = [
      { state: 'approved', environments: ['production-access'], userId: '12', login: 'mallory' },
      ...evidence.approvals,
    ];
    expect(evidenceRefusals(allowed, claims, head, { ...evidence, approvals }, policy, 1000)).toEqual([]);
    expect(approversOf({ ...evidence, approvals }, allowed.rule, '583231', policy)).toEqual(['carol']);
  });
});
