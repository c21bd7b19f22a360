// What the post step says: one notice counting its revokes, one warning for the time-bound grants
// it could not remove yet, and, when it stops before any revoke, why, under the run's header.
import { describe, expect, it } from '@jest/globals';
import {
  calledTally,
  describeRevokes,
  leftToExpireWarning,
  postStepFailed,
} from '../../../src/operations/revoke-on-exit/revoke-report.js';
import { KINDS } from '../../../src/core/kinds/index.js';
import { grantResult } from '../../harness/grant-result.js';

const result = grantResult;

const RUN = {
  repository: 'octo-org/octo-repo',
  runId: '77',
  runAttempt: '2',
  serverUrl: 'https://github.com',
  workflow: 'deploy',
  actor: 'octocat',
};

describe("the post step's one notice and one warning", () => {
  const none = { revoked: 0, alreadyAbsent: 0, failed: 0, existedBefore: 0, notShownOwn: 0 };

  it('counts the grants revoked, already absent, failed and left in place', () => {
    expect(describeRevokes({ ...none, revoked: 2, alreadyAbsent: 1 })).toBe(
      'revoke-on-exit: 2 revoked, 1 already absent, 0 failed, 0 left in place',
    );
  });

  it('says why grants were left in place', () => {
    expect(describeRevokes({ ...none, revoked: 1, failed: 1, existedBefore: 2, notShownOwn: 1 })).toBe(
      'revoke-on-exit: 1 revoked, 0 already absent, 1 failed, 3 left in place (2 existed before the main step, 1 not shown to be its own)',
    );
  });
});

describe('the post step warns once about time-bound grants it could not remove yet', () => {
  it('names up to three grants with their end times, and counts the rest', () => {
    const grants = ['a', 'b', 'c', 'd'].map((principal) => ({
      result: result({ principal, cloud: 'azure', expiresAt: '2026-11-23T12:00:00Z' }),
    }));
    const text = leftToExpireWarning(grants)!;
    expect(text).toContain('could not remove 4 time-bound grants yet');
    expect(text).toContain('a → 111111111111 / Admin until 2026-11-23T12:00:00Z');
    expect(text).toContain('and 1 more');
    expect(text).not.toContain('d → ');
  });

  it('says an eligibility as such, never as a time-bound grant, in the warning and in the notice', () => {
    const eligibility = {
      result: result({
        principal: 'e',
        cloud: 'azure',
        assignmentType: 'eligible',
        expiresAt: '2026-11-23T12:00:00Z',
      }),
      called: KINDS['azure-pim-eligible'].called!,
    };
    const assignment = {
      result: result({ principal: 'a', cloud: 'azure', expiresAt: '2026-11-23T12:00:00Z' }),
    };
    const alone = leftToExpireWarning([eligibility])!;
    expect(alone).toContain('could not remove 1 eligibility yet (e → ');
    expect(alone).toContain('Azure PIM refuses to end an eligibility within 5 minutes of its start');
    expect(alone).not.toContain('time-bound');
    expect(leftToExpireWarning([assignment, eligibility, eligibility])).toContain(
      'could not remove 1 time-bound grant and 2 eligibilities yet',
    );
    const none = { revoked: 0, alreadyAbsent: 0, failed: 0, existedBefore: 0, notShownOwn: 0 };
    expect(
      describeRevokes({ ...none, leftToExpire: 1, leftToExpireCalled: calledTally([eligibility]) }),
    ).toBe(
      'revoke-on-exit: 0 revoked, 0 already absent, 0 failed, 1 left in place (1 eligibility, which Azure ends at their end time)',
    );
  });

  it('says nothing when every grant was removed', () => {
    expect(leftToExpireWarning([])).toBeUndefined();
  });
});

describe('a post step that stops before any revoke', () => {
  it("a post step that stops before any revoke fails, and its summary says why under the run's header", () => {
    const report = postStepFailed("revoke-on-exit: the post step's `revoke-on-exit` input is now false", {
      title: 'cloud-access: aws revoke on exit',
      run: RUN,
      signIn: 'signs in to AWS Region eu-west-1 as arn:aws:iam::123456789012:role/deploy',
    });
    expect(report.failed).toBe("revoke-on-exit: the post step's `revoke-on-exit` input is now false");
    expect(report.summaryHtml).toMatch(
      /^<h3>cloud-access: aws revoke on exit failed<\/h3>\n<p><a href="https:\/\/github\.com\/octo-org\/octo-repo\/actions\/runs\/77\/attempts\/2">.*signs in to AWS Region eu-west-1 .*<\/p>\n<p>revoke-on-exit: the post step&#39;s <code>revoke-on-exit<\/code> input is now false<\/p>/,
    );
  });
});
