// Who a decision is by, against logins renamed and re-registered, teams left, and comments edited:
// a reviewer is their account ID (pinned in the reviewers file, or as this run resolves the login),
// never a login alone.
import { describe, expect, it } from '@jest/globals';
import type { IssueComment } from '../../../../src/github/review-issues.js';
import { readDecisions, type IssueReviewers } from '../../../../src/operations/review/model/decisions.js';

const ROWS = ['aaaaaaaa', 'bbbbbbbb'];
let n = 1;
const comment = (login: string, id: number, body: string, at = '2026-07-01T10:00:00Z', updatedAt = at) =>
  ({
    id: n,
    url: `https://github.com/o/r/issues/1#issuecomment-${n++}`,
    body,
    author: { login, id, type: 'User' },
    createdAt: at,
    updatedAt,
  }) satisfies IssueComment;

describe('a pinned reviewer is their account ID', () => {
  const pinned: IssueReviewers = {
    reviewers: [{ login: 'alice', id: 101 }],
    resolved: new Map([['alice', 101]]),
    teams: new Map(),
  };

  it('still decides after renaming the login (GitHub lists their comments under the new one)', () => {
    const read = readDecisions([comment('alice-smith', 101, '/revoke aaaaaaaa left the team')], ROWS, pinned);
    expect(read.byRow.get('aaaaaaaa')).toEqual([
      expect.objectContaining({ decision: 'revoke', login: 'alice-smith', accountId: 101 }),
    ]);
    expect(read.ignored).toEqual([]);
  });

  it('never lets whoever registers the old login afterwards decide', () => {
    const read = readDecisions([comment('alice', 202, '/keep all')], ROWS, pinned);
    expect(read.byRow.size).toBe(0);
    expect(read.ignored[0]!.why).toMatch(/not that reviewer's account ID \(101/);
  });
});

describe('an unpinned login is the account GitHub resolves it to on this run', () => {
  const unpinned: IssueReviewers = {
    reviewers: [{ login: 'alice' }],
    // The login was renamed away and re-registered: this run resolves it to the new owner.
    resolved: new Map([['alice', 202]]),
    teams: new Map(),
  };
  it("takes the new owner's decisions and not the old owner's, under either login", () => {
    const read = readDecisions(
      [
        comment('alice-smith', 101, '/revoke aaaaaaaa old owner'),
        comment('alice', 202, '/keep bbbbbbbb', '2026-07-02T00:00:00Z'),
      ],
      ROWS,
      unpinned,
    );
    expect([...read.byRow.keys()]).toEqual(['bbbbbbbb']);
    expect(read.ignored.map((i) => i.accountId)).toEqual([101]);
  });
});

describe("a team's member is a member as this run reads the team", () => {
  it('drops the decisions of a member who left the team before this run, and lists them', () => {
    const left: IssueReviewers = {
      reviewers: [{ org: 'acme', team: 'sec' }],
      resolved: new Map(),
      teams: new Map([['acme/sec', new Map([['carol', 103]])]]),
    };
    const read = readDecisions([comment('dave', 104, '/revoke aaaaaaaa unused')], ROWS, left);
    expect(read.byRow.size).toBe(0);
    expect(read.ignored[0]!.why).toBe('its author is not a reviewer of these rows');
  });

  it("never takes a member by login alone: a member's login with another ID is not the member", () => {
    const team: IssueReviewers = {
      reviewers: [{ org: 'acme', team: 'sec' }],
      resolved: new Map(),
      teams: new Map([['acme/sec', new Map([['carol', 103]])]]),
    };
    expect(readDecisions([comment('Carol', 999, '/keep all')], ROWS, team).byRow.size).toBe(0);
  });
});

describe('a decision is the comment as it was made', () => {
  const who: IssueReviewers = {
    reviewers: [{ login: 'alice' }],
    resolved: new Map([['alice', 101]]),
    teams: new Map(),
  };
  it('ignores a comment edited even a second after it was made, and one deleted and posted again counts anew', () => {
    const read = readDecisions(
      [
        comment('alice', 101, '/revoke aaaaaaaa edited in', '2026-07-01T10:00:00Z', '2026-07-01T10:00:01Z'),
        comment('alice', 101, '/keep bbbbbbbb', '2026-07-03T10:00:00Z'),
      ],
      ROWS,
      who,
    );
    expect([...read.byRow.keys()]).toEqual(['bbbbbbbb']);
    expect(read.ignored[0]!.why).toMatch(/edited after it was made/);
  });
});
