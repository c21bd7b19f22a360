// The request step (operations/request/index.ts) as a pipeline, without a bundle: its config as the
// inputs make it, the run's claims and GitHub's answers recorded in memory (what
// github/request-reads.ts would read), the runner's effects recorded. What users rely on: an
// allowed request hands back one assign of the policy's identity, targets and roles for the
// duration asked, and says who asked under which rule at which commit; a refused one says why,
// requests nothing of the cloud, and reads no more of GitHub than it needed to refuse.
import { describe, expect, it, jest } from '@jest/globals';
import type { PolicyAtHead, RequestClaims, RunEvidence } from '../../../src/core/access-request.js';
import { parseInputs, type ConfigOf } from '../../../src/core/inputs/index.js';
import { allowedGrant, type RequestSources } from '../../../src/operations/request/index.js';
import { recordedRunner } from '../../steps/recorded-runner.js';
import { approvedRun, requestClaims } from '../../fixtures/request-run.js';
import { onFakeClock, settled, tick } from '../../harness/fake-clock.js';

const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000000';
const ALICE = '0a11ce00-0000-4000-8000-000000000001';
const COMMIT = 'c0ffee'.padEnd(40, '0');
const NOW = Date.parse('2026-05-01T12:00:00Z');
const POLICY = `version: 1
people:
  - github-id: 583231
    github: alice
    azure: ${ALICE}
  - github-id: 999
    github: carol
rules:
  - name: sub-reader
    cloud: azure
    who: [alice]
    role: Reader
    target: ['${SCOPE}']
    max-duration: 2h
    environment: production-access
    approvers: [carol]
`;
const INPUTS: Record<string, string> = {
  cloud: 'azure',
  operation: 'request',
  rule: 'sub-reader',
  duration: '1h',
  justification: 'INC-42: the dashboards are down',
  'github-token': 'ghs_token',
  'client-id': 'aaaaaaaa-2222-3333-4444-555555555551',
  'tenant-id': 'aaaaaaaa-2222-3333-4444-555555555552',
};
const CLAIMS = requestClaims();
const EVIDENCE = approvedRun(NOW - 60_000);

/** GitHub in memory: the run's claims, the policy at the default branch's head, the run's evidence; each read recorded. */
function github(
  more: { claims?: Partial<RequestClaims>; policy?: string | undefined; evidence?: RunEvidence } = {},
) {
  const reads: string[] = [];
  const sources: RequestSources = {
    claims: async () => {
      reads.push('claims');
      return { ...CLAIMS, ...more.claims };
    },
    github: async () => ({
      policyAtHead: async (path): Promise<PolicyAtHead> => {
        reads.push(`policy ${path}`);
        return { defaultBranch: 'main', commit: COMMIT, text: 'policy' in more ? more.policy : POLICY };
      },
      evidence: async (environment, runId, branch) => {
        reads.push(`evidence ${environment} ${runId} ${branch}`);
        return more.evidence ?? EVIDENCE;
      },
      requests: () => reads.length - 1,
    }),
  };
  return { sources, reads };
}

/** The run as its environment says: GITHUB_REPOSITORY and GITHUB_REPOSITORY_ID. */
const RUN = { repository: 'octo-org/octo-repo', repositoryId: '123456789' };
const configOf = () =>
  parseInputs(
    (name) => INPUTS[name] ?? '',
    {},
    RUN,
    () => NOW,
  ) as ConfigOf<'request'>;

async function request(cloud: ReturnType<typeof github>) {
  const step = recordedRunner({ inputs: INPUTS });
  const allowed = await allowedGrant(configOf(), step.runner, cloud.sources, () => NOW);
  return { step, allowed };
}

describe('operation: request, as its step runs it', () => {
  it("an allowed request hands back an assign of the policy's identity, targets and roles for the duration asked", async () => {
    const cloud = github();
    const { step, allowed } = await request(cloud);
    expect(cloud.reads).toEqual([
      'claims',
      'policy .github/access-policy.yml',
      'evidence production-access 9876543210 main',
    ]);
    expect(allowed!.grant).toMatchObject({
      cloud: 'azure',
      operation: 'assign',
      revokeOnExit: false,
      grants: [{ principal: { kind: 'object', id: ALICE }, scope: { scope: SCOPE } }],
    });
    expect(allowed!.record).toMatchObject({
      requester: 'alice',
      rule: 'sub-reader',
      approvers: ['carol'],
      policyCommit: COMMIT,
      duration: 'PT1H',
      expiresAt: new Date(NOW + 3_600_000).toISOString(),
    });
    // Who asked, under which rule, approved by whom, at which commit: in the log and the summary.
    expect(step.said.log.join('\n')).toContain('sub-reader');
    expect(step.said.summary).toContain(COMMIT.slice(0, 12));
    expect(step.said.summary).toContain('carol');
    expect(step.said.failed).toEqual([]);
  });

  it('a run whose OIDC token names no actor is refused before GitHub is read', async () => {
    const cloud = github({ claims: { actorId: undefined } });
    const { step, allowed } = await request(cloud);
    expect(allowed).toBeUndefined();
    expect(cloud.reads).toEqual(['claims']);
    expect(step.said.failed).toEqual(['nothing was requested from the cloud']);
    expect(step.outputs.status).toBe('FAILED');
  });

  it("a token of another repository than the run's is refused before GitHub is read, naming both", async () => {
    const cloud = github({ claims: { repositoryId: '999999' } });
    const { step, allowed } = await request(cloud);
    expect(allowed).toBeUndefined();
    expect(cloud.reads).toEqual(['claims']);
    expect(step.said.errors.map((e) => e.message).join('\n')).toMatch(/`repository_id: 999999`.*123456789/);
    expect(step.said.failed).toEqual(['nothing was requested from the cloud']);
  });

  it('a policy not on the default branch is refused, saying to commit it there', async () => {
    const cloud = github({ policy: undefined });
    const { step, allowed } = await request(cloud);
    expect(allowed).toBeUndefined();
    expect(step.said.errors.map((e) => e.message).join('\n')).toMatch(
      /the policy `\.github\/access-policy\.yml` is not on the default branch `main`.*commit the policy to the default branch/s,
    );
    expect(cloud.reads).not.toContainEqual(expect.stringMatching(/^evidence/));
  });

  it('an invalid policy stops the step naming the file at its commit, and nothing is requested', async () => {
    const cloud = github({ policy: 'version: 2\n' });
    const { step, allowed } = await request(cloud);
    expect(allowed).toBeUndefined();
    expect(step.said.failed.join('\n')).toMatch(
      /^\d+ problem\(s\) in the access policy: invalid access policy; nothing was requested from the cloud$/,
    );
    expect(step.said.errors.map((e) => e.at?.file)).toContain(
      `.github/access-policy.yml@${COMMIT.slice(0, 12)} (default branch main)`,
    );
  });

  it("a run no approver of the rule approved is refused, naming the rule's approvers", async () => {
    const cloud = github({ evidence: { ...EVIDENCE, approvals: [] } });
    const { step, allowed } = await request(cloud);
    expect(allowed).toBeUndefined();
    expect(step.said.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^rule `sub-reader`: the run has no approval .* among its `approvers` \(carol\)/),
    ]);
    expect(step.said.failed).toEqual(['nothing was requested from the cloud']);
    // The summary starts with the refusal, under the request's own heading.
    expect(step.said.summary).toMatch(/^<h3>cloud-access: azure request: refused<\/h3>\n/);
    expect(step.outputs.status).toBe('FAILED');
  });
});

describe('a request whose reads of GitHub are slow is never a silent wait', () => {
  it('says it is still reading GitHub 10 s in and every 15 s after, until GitHub answers', () =>
    onFakeClock(jest, async () => {
      const cloud = github();
      const slow: RequestSources = {
        ...cloud.sources,
        github: async () => {
          const reads = await cloud.sources.github();
          return {
            ...reads,
            evidence: async (...args) => {
              await tick(35_000);
              return reads.evidence(...args);
            },
          };
        },
      };
      const step = recordedRunner({ inputs: INPUTS });
      const allowed = await settled(allowedGrant(configOf(), step.runner, slow, () => NOW));
      expect(allowed).toBeDefined();
      expect(step.said.log.filter((line) => line.startsWith('still reading'))).toEqual([
        'still reading after 10 s (the request’s claims, its access policy and its run’s approvals on GitHub)',
        'still reading after 25 s (the request’s claims, its access policy and its run’s approvals on GitHub)',
      ]);
    }));
});
