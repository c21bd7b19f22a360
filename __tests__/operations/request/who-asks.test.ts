// Who asks and who approves, as a requester would try to blur them: a renamed login, a login now
// someone else's, a bot, a label in another case, an approval by a login that was the approver's,
// the requester among the approvers; and where the run runs (a re-run, another event, a branch
// whose name starts as the default one's, an environment in another case), how long it asks
// for (past `max-duration` by a second, an overflowing number) and how old the run is.
import { describe, expect, it } from '@jest/globals';
import type { PolicyAtHead, RequestClaims } from '../../../src/core/access-request.js';
import { parseDuration, type Duration } from '../../../src/core/duration.js';
import { parseAccessPolicy, type AccessPolicy } from '../../../src/core/manifest/access-policy.js';
import { claimRefusals, ruleDecision } from '../../../src/operations/request/check.js';
import { approversOf, evidenceRefusals } from '../../../src/operations/request/evidence-check.js';
import { approvedRun, requestClaims } from '../../fixtures/request-run.js';

const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000000';
const policy = (
  parseAccessPolicy(`version: 1
people:
  - github-id: 583231
    github: Alice
    azure: 0a11ce00-0000-4000-8000-000000000001
  - github-id: 999
    github: carol
    azure: 0a11ce00-0000-4000-8000-000000000009
  - github-id: 41898282
    github: helper[bot]
    azure: 0a11ce00-0000-4000-8000-000000000002
rules:
  - name: prod-reader
    cloud: azure
    who: [alice, carol]
    role: Reader
    target: ['${SCOPE}']
    max-duration: 2h
    environment: production-access
    approvers: [carol, ALICE]
    request-expiry: 8h
`) as { policy: AccessPolicy }
).policy;
const run = { repository: 'octo-org/octo-repo', repositoryId: '123456789' };
const head: PolicyAtHead = { defaultBranch: 'main', commit: 'a'.repeat(40), text: '' };
const duration = (text: string) => parseDuration(text) as Duration;
const asked = (more: Partial<{ duration: Duration; justification: string }> = {}) => ({
  policy: '.github/access-policy.yml',
  rule: 'prod-reader',
  duration: duration('1h'),
  justification: '',
  githubToken: 't',
  targets: [],
  roles: [],
  cloud: 'azure' as const,
  ...more,
});
const decide = (claims: RequestClaims, more?: Parameters<typeof asked>[0]) => {
  const decided = ruleDecision(asked(more), claims, head, policy);
  return 'refused' in decided
    ? { refused: decided.refused.map((r) => r.describe()) }
    : { principal: decided.allowed.principal };
};
const ALICE = '0a11ce00-0000-4000-8000-000000000001';

describe('the requester is the account ID GitHub signs, never a login', () => {
  it('grants a renamed account as the person its ID is', () => {
    expect(decide(requestClaims({ actor: 'alice-renamed' }))).toEqual({ principal: ALICE });
  });

  it("grants carol's account as carol even when its login reads as another person's label", () => {
    expect(decide(requestClaims({ actorId: '999', actor: 'Alice' }))).toEqual({
      principal: '0a11ce00-0000-4000-8000-000000000009',
    });
  });

  it("refuses a login that was alice's, now another account's (an ID the policy does not list)", () => {
    expect(decide(requestClaims({ actorId: '7', actor: 'Alice' }))).toEqual({
      refused: [
        expect.stringContaining('GitHub account ID 7 (login `Alice`, a label only) is not in the policy'),
      ],
    });
  });

  it("matches `who` to the person's label in any case: the labels are each one person's", () => {
    expect(decide(requestClaims())).toEqual({ principal: ALICE });
  });

  it('refuses a bot that `who` does not name, whatever login the token gives it', () => {
    for (const actor of ['helper[bot]', 'alice', undefined])
      expect(decide(requestClaims({ actorId: '41898282', actor }))).toEqual({
        refused: [expect.stringContaining('`who` does not name')],
      });
  });

  it.each([['0583231'], ['583231 '], ['+583231'], ['583231.0'], [''], ['1e3']])(
    'refuses an actor_id written %p: not an account ID, never read as one',
    (actorId) => {
      expect(
        claimRefusals(requestClaims({ actorId }), run)
          .map((r) => r.describe())
          .join('\n'),
      ).toContain('no `actor_id`');
    },
  );
});

describe('where the run runs', () => {
  it.each([['2'], ['01'], [' 1'], [undefined]])(
    'refuses run_attempt %p: the first attempt only',
    (runAttempt) => {
      expect(
        claimRefusals(requestClaims({ runAttempt }), run)
          .map((r) => r.describe())
          .join('\n'),
      ).toContain('first attempt only');
    },
  );

  it.each([['workflow_run'], ['repository_dispatch'], ['Workflow_Dispatch'], ['issue_comment'], [undefined]])(
    'refuses event_name %p',
    (eventName) => {
      expect(
        claimRefusals(requestClaims({ eventName }), run)
          .map((r) => r.describe())
          .join('\n'),
      ).toContain('runs on `workflow_dispatch` only');
    },
  );

  it.each([
    ['refs/heads/main2'],
    ['refs/heads/main/x'],
    ['refs/tags/main'],
    ['refs/heads/Main'],
    ['main'],
    [undefined],
  ])('refuses ref %p: the default branch only', (ref) => {
    expect(decide(requestClaims({ ref }))).toEqual({
      refused: [expect.stringContaining('runs from the default branch')],
    });
  });

  it.each([['Production-Access'], ['production-access '], ['staging'], [undefined]])(
    "refuses environment %p: the rule's, as written",
    (environment) => {
      expect(decide(requestClaims({ environment }))).toEqual({
        refused: [expect.stringContaining("the job's `environment` must be `production-access`")],
      });
    },
  );
});

describe('how long it asks for', () => {
  it('grants max-duration exactly, and refuses a second more', () => {
    expect(decide(requestClaims(), { duration: duration('2h') })).toEqual({ principal: ALICE });
    expect(decide(requestClaims(), { duration: duration('2h1s') })).toEqual({
      refused: [expect.stringContaining('is longer than its `max-duration` (2 h)')],
    });
  });

  it('refuses a duration too large for a number (Infinity), never reading it as none', () => {
    const huge = duration(`${'9'.repeat(400)}d`);
    expect(huge.ms).toBe(Infinity);
    expect(decide(requestClaims(), { duration: huge })).toEqual({
      refused: [expect.stringContaining('is longer than its `max-duration`')],
    });
  });

  it.each(['-1h', '1.5h', 'P1M', '2h-1h', '0x10h'])('reads %p as no duration at all', (text) => {
    expect(typeof parseDuration(text)).toBe('string');
  });
});

describe('who approves', () => {
  const claims = requestClaims({ runId: '1' });
  const allowedOf = (c: RequestClaims) => {
    const decided = ruleDecision(asked(), c, head, policy);
    if (!('allowed' in decided)) throw new Error('refused');
    return decided.allowed;
  };
  const approval = (userId: string, login: string) => ({
    state: 'approved',
    environments: ['production-access'],
    userId,
    login,
  });
  const judge = (approvals: ReturnType<typeof approval>[], c = claims, now = 1000) => {
    const evidence = { ...approvedRun(0), approvals };
    return {
      refused: evidenceRefusals(allowedOf(c), c, head, evidence, policy, now).map((r) => r.describe()),
      approvers: approversOf(evidence, allowedOf(c).rule, c.actorId, policy),
    };
  };

  it("counts an approval by the approver's account ID, whatever its login now", () => {
    expect(judge([approval('999', 'carol-renamed')])).toEqual({ refused: [], approvers: ['carol-renamed'] });
  });

  it("counts nothing from a login that was the approver's, now another account's", () => {
    expect(judge([approval('12', 'carol')])).toEqual({
      refused: [expect.stringContaining('among its `approvers` (carol, ALICE)')],
      approvers: [],
    });
  });

  it("never counts the requester's own approval, even when the rule names them among its approvers", () => {
    expect(judge([approval('583231', 'Alice')])).toEqual({
      refused: [expect.stringContaining('by someone other than the requester')],
      approvers: [],
    });
    // carol asks: alice (an approver, by her label in another case) approving counts.
    const carol = requestClaims({ runId: '1', actorId: '999', actor: 'carol' });
    expect(judge([approval('583231', 'Alice'), approval('999', 'carol')], carol)).toEqual({
      refused: [],
      approvers: ['Alice'],
    });
  });

  it("refuses a run past its request-expiry by a millisecond, and one created later than now's clock says (skew) is current", () => {
    expect(judge([approval('999', 'carol')], claims, 8 * 3_600_000 + 1).refused).toEqual([
      expect.stringContaining('past its `request-expiry` (8 h)'),
    ]);
    expect(judge([approval('999', 'carol')], claims, 8 * 3_600_000).refused).toEqual([]);
    expect(judge([approval('999', 'carol')], claims, -60_000).refused).toEqual([]);
  });
});
