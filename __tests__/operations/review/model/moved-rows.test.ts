import { describe, expect, it } from '@jest/globals';
import type { IssueComment } from '../../../../src/github/review-issues.js';
import { readDecisions, type IssueReviewers } from '../../../../src/operations/review/model/decisions.js';
import {
  carriedDecisions,
  movedComment,
  withCarried,
} from '../../../../src/operations/review/model/moved-rows.js';

// The new set: alice and erin; dan reviewed the rows before the reviewers file changed.
const who: IssueReviewers = {
  reviewers: [{ login: 'alice' }, { login: 'erin' }],
  resolved: new Map([
    ['alice', 101],
    ['erin', 105],
  ]),
  teams: new Map(),
};

let nextId = 1;
function comment(login: string, id: number, body: string, at: string, issue = 1): IssueComment {
  const n = nextId++;
  return {
    id: n,
    url: `https://github.com/o/r/issues/${issue}#issuecomment-${n}`,
    body,
    author: { login, id, type: 'User' },
    createdAt: at,
    updatedAt: at,
  };
}

describe('decisions carried with a moved row', () => {
  const moved = new Set(['aaaaaaaa']);
  const listed = ['aaaaaaaa', 'bbbbbbbb'];

  it('carries a reviewer who still reviews it, with the comment’s address, and drops the others as such', () => {
    const alice = comment('alice', 101, '/revoke aaaaaaaa left', '2026-07-01T10:00:00Z');
    const dan = comment('dan', 104, '/keep all', '2026-07-01T11:00:00Z');
    const elsewhere = comment('dan', 104, '/keep bbbbbbbb', '2026-07-01T12:00:00Z');
    const read = carriedDecisions([{ comments: [alice, dan, elsewhere], listed }], moved, who);
    expect([...read.byRow.keys()]).toEqual(['aaaaaaaa']);
    expect(read.byRow.get('aaaaaaaa')).toEqual([
      expect.objectContaining({ login: 'alice', decision: 'revoke', url: alice.url }),
    ]);
    // dan's `/keep all` covered the moved row: dropped; his decision on a row that did not move is not this issue's.
    expect(read.ignored).toEqual([
      expect.objectContaining({
        login: 'dan',
        command: '/keep all',
        why: expect.stringMatching(/^dropped: row `aaaaaaaa`/),
      }),
    ]);
  });

  it('carries only a command that names the row: a `/keep all` in the old issue, whose list any workflow may edit, never reaches it', () => {
    const revoked = comment('alice', 101, '/revoke aaaaaaaa left', '2026-07-01T10:00:00Z', 2);
    const keepAll = comment('alice', 101, '/keep all', '2026-07-02T10:00:00Z');
    const carried = carriedDecisions([{ comments: [keepAll], listed }], moved, who);
    expect(carried.byRow.get('aaaaaaaa')).toBeUndefined();
    const here = readDecisions([revoked], ['aaaaaaaa'], who);
    expect(withCarried(here, carried).byRow.get('aaaaaaaa')).toEqual([
      expect.objectContaining({ login: 'alice', decision: 'revoke' }),
    ]);
  });

  it('a reviewer’s later decision in the new issue replaces the carried one, and an earlier one does not', () => {
    const carried = carriedDecisions(
      [{ comments: [comment('alice', 101, '/revoke aaaaaaaa left', '2026-07-01T10:00:00Z')], listed }],
      moved,
      who,
    );
    const later = readDecisions(
      [comment('alice', 101, '/keep aaaaaaaa', '2026-07-02T10:00:00Z', 2)],
      ['aaaaaaaa'],
      who,
    );
    expect(withCarried(later, carried).byRow.get('aaaaaaaa')).toEqual([
      expect.objectContaining({ decision: 'keep' }),
    ]);
    const earlier = readDecisions(
      [comment('alice', 101, '/keep aaaaaaaa', '2026-06-30T10:00:00Z', 2)],
      ['aaaaaaaa'],
      who,
    );
    expect(withCarried(earlier, carried).byRow.get('aaaaaaaa')).toEqual([
      expect.objectContaining({ decision: 'revoke' }),
    ]);
  });

  it('closes the emptied issue with a comment that links each row’s new issue', () => {
    const text = movedComment('2026-Q4', [
      { rowId: 'aaaaaaaa', issue: 7 },
      { rowId: 'bbbbbbbb', issue: 7 },
    ]);
    expect(text).toContain('in #7.');
    expect(text).toContain('- `aaaaaaaa` → #7');
  });
});
