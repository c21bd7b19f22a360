import { describe, expect, it } from '@jest/globals';
import {
  parseReviewersFile,
  type ReviewersFile,
} from '../../../../src/operations/review/model/reviewers-file.js';

const DAY = 24 * 60 * 60 * 1000;

function parsed(source: string): ReviewersFile {
  const result = parseReviewersFile(source);
  if (!('file' in result)) throw new Error(JSON.stringify(result.problems));
  return result.file;
}

const problems = (source: string) => parseReviewersFile(source).problems;

describe('the reviewers file names who reviews which grants', () => {
  it('reads entries of accounts (IDs, OUs, root) and of scopes, with their reviewers', () => {
    const file = parsed(`version: 1
entries:
  - accounts: [012345678901, ou-ab12-cdefgh34, root]
    permission-sets: [AdministratorAccess]
    reviewers: [alice, "@Bob", acme/platform]
  - scopes: /subscriptions/00000000-0000-0000-0000-000000000001
    roles: Owner
    reviewers: carol
default-reviewers: [security-team-lead]
`);
    expect(file.entries).toEqual([
      {
        line: 3,
        accounts: ['012345678901', 'ou-ab12-cdefgh34', 'root'],
        scopes: [],
        roles: ['AdministratorAccess'],
        reviewers: [{ login: 'alice' }, { login: 'Bob' }, { org: 'acme', team: 'platform' }],
      },
      {
        line: 6,
        accounts: [],
        scopes: ['/subscriptions/00000000-0000-0000-0000-000000000001'],
        roles: ['Owner'],
        reviewers: [{ login: 'carol' }],
      },
    ]);
    expect(file.defaultReviewers).toEqual([{ login: 'security-team-lead' }]);
  });

  it('keeps an account ID written unquoted as the 12 digits written, its leading zero too', () => {
    expect(
      parsed('version: 1\nentries:\n  - accounts: 012345678901\n    reviewers: a\n').entries[0]!.accounts,
    ).toEqual(['012345678901']);
  });

  it('gives a campaign 14 days and keeps undecided rows by default', () => {
    const file = parsed('version: 1\ndefault-reviewers: alice\n');
    expect(file.due).toEqual({ iso: 'P14D', ms: 14 * DAY });
    expect(file.defaultDecision).toBe('keep');
  });

  it('takes `due` in the duration forms and `default-decision: revoke`', () => {
    const file = parsed('version: 1\ndefault-reviewers: alice\ndue: P3W\ndefault-decision: revoke\n');
    expect(file.due.ms).toBe(21 * DAY);
    expect(file.defaultDecision).toBe('revoke');
    expect(parsed('version: 1\ndefault-reviewers: alice\ndue: 36h\n').due.iso).toBe('P1DT12H');
  });
});

describe('every problem of the reviewers file at its line, all at once', () => {
  it('names each unknown key at its line with the keys there are', () => {
    const found = problems(`version: 1
entries:
  - accounts: root
    reviewer: alice
    reviewers: bob
defualt-reviewers: carol
`);
    expect(found).toEqual([
      expect.objectContaining({ line: 4, message: '`entries[0]` has the unknown key `reviewer`' }),
      expect.objectContaining({
        line: 6,
        message: '`reviewers file` has the unknown key `defualt-reviewers`',
      }),
    ]);
    expect(found[1]!.fix).toMatch(/did you mean `default-reviewers`/);
  });

  it('refuses an entry with no reviewers at its line, and goes on to the next entries', () => {
    const found = problems(`version: 1
entries:
  - accounts: root
    permission-sets: Admin
  - accounts: [111111111111]
    reviewers: []
  - scopes: /subscriptions/x
    reviewers: [not a login!]
`);
    expect(found.map((p) => [p.line, p.message])).toEqual([
      [3, '`entries[0]` names no reviewer'],
      [6, '`entries[1].reviewers` is empty'],
      [8, expect.stringMatching(/^`entries\[2\]\.reviewers`: `not a login!` is not a GitHub login/)],
    ]);
  });

  it('refuses an entry without places, with both clouds, and places that are none', () => {
    const found = problems(`version: 1
entries:
  - reviewers: alice
  - accounts: 1234
    scopes: subscriptions/x
    reviewers: alice
`);
    expect(found.map((p) => [p.line, p.message])).toEqual([
      [3, '`entries[0]` has neither `accounts` nor `scopes`'],
      [4, '`entries[1].accounts`: `1234` is not an account'],
      [5, '`entries[1]` has both `accounts` and `scopes`'],
      [5, '`entries[1].scopes`: `subscriptions/x` is not a scope'],
    ]);
  });

  it('refuses a missing or other version, a wrong due, a wrong default decision', () => {
    expect(
      problems('default-reviewers: a\ndue: 2 weeks\ndefault-decision: remove\n').map((p) => [
        p.line,
        p.message,
      ]),
    ).toEqual([
      [1, 'has no `version`'],
      [2, expect.stringMatching(/^`due` is neither an ISO 8601 duration/)],
      [3, '`default-decision` is `remove`'],
    ]);
    expect(problems('version: 2\ndefault-reviewers: a\n')[0]!.message).toBe('`version` is `2`');
    expect(problems('version: 1\ndefault-reviewers: a\ndue: 0d\n')[0]!.message).toBe('`due` is zero');
  });

  it('refuses a file that names no reviewer, an empty file, and text that is not YAML', () => {
    expect(problems('version: 1\n')[0]!.message).toBe('names no reviewer');
    expect(problems('')[0]!.message).toBe('is empty');
    expect(problems('version: 1\nentries: [\n')[0]!.message).toMatch(/is not valid YAML or JSON/);
  });

  it('says server-like text in a problem inert', () => {
    const [problem] = problems('version: 1\ndefault-reviewers: "::set-output name=x::y"\n');
    expect(problem!.message).not.toMatch(/^::|\n/);
  });
});

describe('`default-decision: revoke-unused` revokes undecided rows nobody used within `unused-after`', () => {
  it('takes `revoke-unused` with a window of 90 days by default, or the one written', () => {
    const file = parsed('version: 1\ndefault-reviewers: alice\ndefault-decision: revoke-unused\n');
    expect(file.defaultDecision).toBe('revoke-unused');
    expect(file.unusedAfter).toEqual({ iso: 'P90D', ms: 90 * DAY });
    expect(
      parsed('version: 1\ndefault-reviewers: a\ndefault-decision: revoke-unused\nunused-after: 30d\n')
        .unusedAfter,
    ).toEqual({ iso: 'P30D', ms: 30 * DAY });
  });

  it('reads no window for the other default decisions', () => {
    expect(parsed('version: 1\ndefault-reviewers: alice\n').unusedAfter).toBeUndefined();
    expect(
      parsed('version: 1\ndefault-reviewers: a\ndefault-decision: revoke\n').unusedAfter,
    ).toBeUndefined();
  });

  it('refuses `unused-after` without `revoke-unused`, at its line', () => {
    const found = problems('version: 1\ndefault-reviewers: a\nunused-after: 30d\n');
    expect(found.map((p) => [p.line, p.message])).toEqual([
      [3, '`unused-after` is read only with `default-decision: revoke-unused`'],
    ]);
    expect(found[0]!.fix).toMatch(/revoke-unused/);
  });

  it('refuses a window outside 1 to 366 days, and one that is no duration', () => {
    const of = (window: string) =>
      problems(
        `version: 1\ndefault-reviewers: a\ndefault-decision: revoke-unused\nunused-after: ${window}\n`,
      ).map((p) => [p.line, p.message]);
    expect(of('12h')).toEqual([[4, '`unused-after` `12h` is not from 1 day to 366 days']]);
    expect(of('400d')).toEqual([[4, '`unused-after` `400d` is not from 1 day to 366 days']]);
    expect(of('a while')[0]![1]).toMatch(/^`unused-after` `a while` is neither an ISO 8601 duration/);
    expect(of('1d')).toEqual([]);
    expect(of('366d')).toEqual([]);
  });

  it('names the three default decisions when it refuses another', () => {
    const [problem] = problems('version: 1\ndefault-reviewers: a\ndefault-decision: prune\n');
    expect(problem!.message).toBe('`default-decision` is `prune`');
    expect(problem!.fix).toBe('write `keep` (the default), `revoke` or `revoke-unused`');
  });
});
