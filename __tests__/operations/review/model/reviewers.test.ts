import { describe, expect, it } from '@jest/globals';
import {
  parseReviewer,
  reviewerName,
  reviewerSet,
  reviewerSetKey,
} from '../../../../src/operations/review/model/reviewers.js';

describe('a reviewer as the reviewers file names one', () => {
  it('reads a login, a login pinned to its account ID, and a team', () => {
    expect(parseReviewer('@alice')).toEqual({ login: 'alice' });
    expect(parseReviewer('alice (583231)')).toEqual({ login: 'alice', id: 583231 });
    expect(parseReviewer('acme/sec-team')).toEqual({ org: 'acme', team: 'sec-team' });
  });

  it('refuses what is none of them, saying which form it failed', () => {
    expect(parseReviewer('alice (0)')).toMatch(/not a GitHub login pinned to its account ID/);
    expect(parseReviewer('-alice')).toMatch(/not a GitHub login/);
    expect(parseReviewer('acme/')).toMatch(/is not `org\/team`/);
  });

  it('shows a login it refuses inert', () => {
    expect(parseReviewer('a\nb')).not.toContain('\n');
  });
});

describe('a set of reviewers', () => {
  it('is the same set whatever the order and case, each reviewer once', () => {
    const a = [{ login: 'Bob' }, { org: 'acme', team: 'sec' }, { login: 'alice' }];
    const b = [{ login: 'alice' }, { login: 'bob' }, { org: 'ACME', team: 'Sec' }, { login: 'ALICE' }];
    expect(reviewerSet(b).map(reviewerName)).toEqual(['acme/sec', 'alice', 'bob']);
    expect(reviewerSetKey(a)).toBe(reviewerSetKey(b));
    expect(reviewerSetKey(a)).toMatch(/^[0-9a-f]{12}$/);
  });

  it('has another key when a reviewer differs', () => {
    expect(reviewerSetKey([{ login: 'alice' }])).not.toBe(reviewerSetKey([{ login: 'alicia' }]));
  });
});
