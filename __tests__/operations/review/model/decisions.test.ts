import { describe, expect, it } from '@jest/globals';
import type { IssueComment } from '../../../../src/github/review-issues.js';
import {
  commandLines,
  parseCommand,
  readDecisions,
  rowDecision,
  type IssueReviewers,
} from '../../../../src/operations/review/model/decisions.js';

const ROWS = ['aaaaaaaa', 'bbbbbbbb', 'cccccccc'];

const who: IssueReviewers = {
  reviewers: [{ login: 'alice' }, { login: 'bob' }, { org: 'acme', team: 'sec' }],
  resolved: new Map([
    ['alice', 101],
    ['bob', 102],
  ]),
  teams: new Map([['acme/sec', new Map([['carol', 103]])]]),
};

let nextId = 1;
function comment(
  login: string | null,
  id: number,
  body: string,
  at = '2026-07-01T10:00:00Z',
  over: Partial<IssueComment> = {},
) {
  const n = nextId++;
  return {
    id: n,
    url: `https://github.com/o/r/issues/1#issuecomment-${n}`,
    body,
    author: login === null ? null : { login, id, type: 'User' },
    createdAt: at,
    updatedAt: at,
    ...over,
  } satisfies IssueComment;
}

describe('decisions are `/keep` and `/revoke` commands, one a line', () => {
  it('finds command lines and leaves quoted and other lines alone', () => {
    expect(
      commandLines('Looks fine.\n/keep all\n> /revoke aaaaaaaa old\n\n  /REVOKE bbbbbbbb left\n/keeper'),
    ).toEqual(['/keep all', '/REVOKE bbbbbbbb left']);
  });

  it('leaves alone a line that goes on a quote without its `>` (shown inside the quote), until a blank line', () => {
    expect(commandLines('> I would keep it.\n/revoke aaaaaaaa\n\n/keep bbbbbbbb')).toEqual([
      '/keep bbbbbbbb',
    ]);
  });

  it('leaves alone what an HTML comment holds, which GitHub does not show, on one line or many, closed or not', () => {
    expect(commandLines('<!-- /revoke aaaaaaaa -->\n/keep bbbbbbbb')).toEqual(['/keep bbbbbbbb']);
    expect(commandLines('ok\n<!--\n/revoke aaaaaaaa\n-->\n/keep cccccccc')).toEqual(['/keep cccccccc']);
    expect(commandLines('ok\n<!--\n/revoke aaaaaaaa')).toEqual([]);
  });

  it('reads row IDs (spaces or commas) and `all` for keep', () => {
    expect(parseCommand('/keep aaaaaaaa, BBBBBBBB', ROWS)).toEqual({
      decision: 'keep',
      rows: ['aaaaaaaa', 'bbbbbbbb'],
      reason: null,
    });
    expect(parseCommand('/keep all', ROWS)).toEqual({ decision: 'keep', rows: ROWS, reason: null });
  });

  it('reads a revoke reason after the row IDs', () => {
    expect(parseCommand('/revoke aaaaaaaa cccccccc left the team in May', ROWS)).toEqual({
      decision: 'revoke',
      rows: ['aaaaaaaa', 'cccccccc'],
      reason: 'left the team in May',
    });
  });

  it.each([
    ['/revoke aaaaaaaa', '`/revoke` needs a reason after the row IDs'],
    ['/revoke all no longer needed', '`/revoke` takes row IDs, not `all`: name each row to revoke'],
    ['/revoke because', '`/revoke` names no row ID'],
    ['/keep', '`/keep` names no row ID'],
    ['/keep dddddddd', 'no row of this issue has the ID `dddddddd`'],
    ['/keep aaaaaaaa please', '`/keep` takes only row IDs or `all`'],
  ])('refuses %j: %s', (line, why) => {
    expect(parseCommand(line, ROWS)).toBe(why);
  });
});

describe('a decision counts only from a reviewer, checked by login and account ID', () => {
  it('takes decisions by reviewer logins and by a team member as this run read the team', () => {
    const read = readDecisions(
      [comment('alice', 101, '/keep aaaaaaaa'), comment('Carol', 103, '/revoke bbbbbbbb not needed')],
      ROWS,
      who,
    );
    expect(read.ignored).toEqual([]);
    expect(read.byRow.get('aaaaaaaa')).toEqual([
      expect.objectContaining({ decision: 'keep', login: 'alice', accountId: 101 }),
    ]);
    expect(read.byRow.get('bbbbbbbb')).toEqual([
      expect.objectContaining({ decision: 'revoke', reason: 'not needed', login: 'Carol', accountId: 103 }),
    ]);
  });

  it('ignores, with why (the edited comment first: the oldest), a renamed login, a non-reviewer, a bot, a deleted account and an edited comment', () => {
    const edited = comment('bob', 102, '/keep all', '2026-07-01T10:00:00Z', {
      updatedAt: '2026-07-01T10:05:00Z',
    });
    const read = readDecisions(
      [
        comment('alice', 999, '/keep all'),
        comment('mallory', 104, '/keep all'),
        comment('carol', 555, '/keep all'),
        comment('github-actions[bot]', 41898282, '/keep all'),
        comment('alice', 101, '/keep all', undefined, { author: { login: 'alice', id: 101, type: 'Bot' } }),
        comment(null, 0, '/keep all'),
        edited,
        comment('mallory', 104, 'no command here'),
      ],
      ROWS,
      who,
    );
    expect(read.byRow.size).toBe(0);
    expect(read.ignored.map((i) => i.why)).toEqual([
      'the comment was edited after it was made: post the decision as a new comment',
      "its author has a reviewer's login but not that reviewer's account ID (101, as the reviewers file pins it or GitHub resolves the login now)",
      'its author is not a reviewer of these rows',
      'its author is not a reviewer of these rows',
      'its author is a bot',
      'its author is a bot',
      'its author is a deleted account',
    ]);
    expect(read.ignored[1]).toEqual(
      expect.objectContaining({
        login: 'alice',
        accountId: 999,
        command: '/keep all',
        url: expect.stringContaining('#issuecomment-'),
      }),
    );
  });

  it("lists a reviewer's command that is not a decision as ignored", () => {
    const read = readDecisions([comment('alice', 101, '/revoke aaaaaaaa\n/keep bbbbbbbb')], ROWS, who);
    expect(read.ignored.map((i) => i.why)).toEqual(['`/revoke` needs a reason after the row IDs']);
    expect([...read.byRow.keys()]).toEqual(['bbbbbbbb']);
  });

  it("says why a command is not taken in its own words, never the author's text", () => {
    const read = readDecisions(
      [
        comment('x', 7, '/keep all', undefined, {
          author: { login: '::stop-commands::x\n::error::y', id: 7, type: 'User' },
        }),
      ],
      ROWS,
      who,
    );
    expect(read.ignored[0]!.why).toBe('its author is not a reviewer of these rows');
    const keep = readDecisions([comment('alice', 101, '/keep aaaaaaaa `x` @everyone <img>')], ROWS, who);
    expect(keep.ignored[0]!.why).toBe('`/keep` takes only row IDs or `all`');
  });
});

describe("a reviewer's later decision replaces their earlier one; disagreeing reviewers leave the row revoked", () => {
  it('keeps only the latest decision of each reviewer, by when the comments were made', () => {
    const read = readDecisions(
      [
        comment('alice', 101, '/revoke aaaaaaaa unused', '2026-07-02T00:00:00Z'),
        comment('alice', 101, '/keep all', '2026-07-01T00:00:00Z'),
      ],
      ROWS,
      who,
    );
    expect(read.byRow.get('aaaaaaaa')!.map((d) => d.decision)).toEqual(['revoke']);
    expect(read.byRow.get('bbbbbbbb')!.map((d) => d.decision)).toEqual(['keep']);
    const changed = readDecisions(
      [
        comment('alice', 101, '/revoke aaaaaaaa unused', '2026-07-01T00:00:00Z'),
        comment('alice', 101, '/keep aaaaaaaa', '2026-07-02T00:00:00Z'),
      ],
      ROWS,
      who,
    );
    expect(rowDecision(changed.byRow.get('aaaaaaaa'))).toBe('keep');
  });

  it('leaves a row `revoke` when two reviewers disagree, whichever came last', () => {
    const read = readDecisions(
      [
        comment('bob', 102, '/revoke aaaaaaaa unused', '2026-07-01T00:00:00Z'),
        comment('alice', 101, '/keep aaaaaaaa', '2026-07-02T00:00:00Z'),
      ],
      ROWS,
      who,
    );
    expect(read.byRow.get('aaaaaaaa')!.map((d) => d.login)).toEqual(['bob', 'alice']);
    expect(rowDecision(read.byRow.get('aaaaaaaa'))).toBe('revoke');
    expect(rowDecision(undefined)).toBeUndefined();
  });
});
