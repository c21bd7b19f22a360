// A campaign against the emulated GitHub API through the review's Octokit calls: opened, decided
// by reviewers' comments (and not by others'), rewritten, and closed at the due date, with the
// calls counted as the review's cost promises (2 per issue plus 1 per page of comments, one list
// of issues, one look-up per reviewer login not pinned in the reviewers file each run, team members
// once per team).
import { describe, expect, it } from '@jest/globals';
import { closingComments } from '../../../src/operations/review/model/closing.js';
import type { ReviewersFile } from '../../../src/operations/review/model/reviewers-file.js';
import { assignReviewers, rowIdOf } from '../../../src/operations/review/model/rows.js';
import { closeIssue, readCampaign, writeIssues } from '../../../src/operations/review/campaign-github.js';
import { planCampaign } from '../../../src/operations/review/issues-plan.js';
import { awsRow } from './model/review-rows.js';
import { emulatedGitHub } from '../../harness/emulated-github.js';

const github = emulatedGitHub((e) => {
  e.github.issues.setUser({ login: 'alice', id: 101, type: 'User' });
  e.github.issues.setTeam('acme', 'sec', [{ login: 'carol', id: 103, type: 'User' }]);
});
const emulator = () => github.emulator();

const DAY = 86_400_000;
const file: ReviewersFile = {
  entries: [
    {
      line: 3,
      accounts: ['root'],
      scopes: [],
      roles: [],
      reviewers: [{ login: 'alice' }, { org: 'acme', team: 'sec' }],
    },
  ],
  defaultReviewers: [],
  due: { iso: 'P14D', ms: 14 * DAY },
  defaultDecision: 'keep',
};
const rows = [awsRow(), awsRow({ principalId: 'u-2' })];
const assignment = assignReviewers(rows, file, { accountsUnder: () => undefined });
const at = { campaign: '2026-Q3', cloud: 'aws' as const };
/** When the campaign started: its workflow's first run (operations/review/campaign-start.ts). */
const startedAt = '2026-07-01T00:00:00Z';

async function run(now: string, mayAct = true, held = assignment) {
  emulator().github.issues.setNow(now);
  const api = await github.reviewApi();
  const read = await readCampaign(
    api,
    { ...at, due: Date.parse(now) >= Date.parse(startedAt) + 14 * DAY },
    held,
  );
  const plan = planCampaign({
    ...at,
    assignment: held,
    file,
    ...read,
    startedAt,
    now: new Date(now),
    mayAct,
  });
  const written = await writeIssues(api, plan);
  return { api, plan, written };
}

describe('a campaign on GitHub', () => {
  it('opens one issue, and a re-run with nothing new writes nothing', async () => {
    const first = await run('2026-07-01T00:00:00Z');
    expect(first.written).toEqual([{ number: 1, opened: true, writes: 1 }]);
    // The list, alice's account, acme/sec's members, the issue opened.
    expect(first.api.requests()).toBe(4);
    expect(
      emulator()
        .github.issues.issues()
        .map((i) => [i.title, i.labels]),
    ).toEqual([['Access review 2026-Q3: prod', ['access-review']]]);
    const again = await run('2026-07-02T00:00:00Z');
    expect(again.written).toEqual([{ number: 1, opened: false, writes: 0 }]);
    // The list, the issue's comments (one page), alice's account again (never kept from an issue),
    // the team's members: no write.
    expect(again.api.requests()).toBe(4);
    expect(emulator().github.issues.issues()).toHaveLength(1);
  });

  it('writes the due date from the campaign’s start, whenever the issue was opened', async () => {
    await run('2026-07-03T10:00:00Z');
    expect(emulator().github.issues.issues()[0]!.body).toContain('2026-07-15 00:00 UTC');
  });

  it("records reviewers' decisions in the table, and lists the others' commands as not taken", async () => {
    await run('2026-07-01T00:00:00Z');
    emulator().github.issues.comment(1, { login: 'alice', id: 101, type: 'User' }, `/keep ${rows[0]!.id}`);
    emulator().github.issues.comment(
      1,
      { login: 'carol', id: 103, type: 'User' },
      `/revoke ${rows[1]!.id} left in May`,
    );
    emulator().github.issues.comment(1, { login: 'mallory', id: 104, type: 'User' }, '/keep all');
    emulator().github.issues.comment(1, { login: 'alice', id: 101, type: 'User' }, '/keep all', {
      at: '2026-07-02T00:00:00Z',
      editedAt: '2026-07-02T01:00:00Z',
    });
    const second = await run('2026-07-03T00:00:00Z');
    expect(second.written).toEqual([{ number: 1, opened: false, writes: 1 }]);
    const body = emulator().github.issues.issue(1)!.body!;
    expect(body).toContain('2 rows, 2 decided');
    expect(body).toMatch(/by `carol` .*: `left in May`/);
    expect(body).toContain('**Not taken as decisions** (2):');
    expect(body).toContain('its author is not a reviewer of these rows');
    expect(body).toContain('the comment was edited after it was made');
  });

  it('closes the issue at the due date with its closing comment, and a later run changes nothing', async () => {
    await run('2026-07-01T00:00:00Z');
    emulator().github.issues.comment(
      1,
      { login: 'alice', id: 101, type: 'User' },
      `/revoke ${rows[0]!.id} unused`,
      {
        at: '2026-07-02T00:00:00Z',
      },
    );
    const onComment = await run('2026-07-16T00:00:00Z', false);
    expect(onComment.plan.issues[0]!.outcomes).toBeUndefined();
    const due = await run('2026-07-16T00:00:00Z');
    const outcomes = due.plan.issues[0]!.outcomes!;
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['kept-by-default', 'revoke']);
    const revoked = outcomes.find((o) => o.outcome === 'revoke')!.rowId;
    const closing = closingComments({
      campaign: '2026-Q3',
      outcomes,
      results: new Map([[revoked, { status: 'revoked' as const }]]),
      dryRun: false,
    });
    await closeIssue(due.api, 1, closing);
    expect(emulator().github.issues.issue(1)!.state).toBe('closed');
    expect(emulator().github.issues.comments(1).at(-1)!.body).toContain('Access review `2026-Q3` closed');
    // The cloud no longer holds the revoked row.
    const left = assignReviewers(
      rows.filter((r) => rowIdOf(r) !== revoked),
      file,
      { accountsUnder: () => undefined },
    );
    const after = await run('2026-07-17T00:00:00Z', true, left);
    expect(after.written).toEqual([]);
    expect(after.plan.issues[0]!.closed).toBe(true);
  });

  it('reopens an issue closed after the due date while the cloud still holds a row decided revoke, whatever a bot comment says', async () => {
    await run('2026-07-01T00:00:00Z');
    emulator().github.issues.comment(
      1,
      { login: 'alice', id: 101, type: 'User' },
      `/revoke ${rows[0]!.id} unused`,
    );
    // Any workflow with `issues: write` comments and closes as the same bot as the review.
    const bot = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' as const };
    emulator().github.issues.setNow('2026-07-15T12:00:00Z');
    emulator().github.issues.comment(1, bot, '### Access review `2026-Q3` closed\n\n2 rows: revoked 1.');
    emulator().github.issues.close(1, bot);
    const due = await run('2026-07-16T00:00:00Z');
    expect(due.plan.issues[0]!.reopen).toMatch(/with rows not carried out at the due date/);
    expect(due.plan.issues[0]!.outcomes!.map((o) => o.outcome).sort()).toEqual(['kept-by-default', 'revoke']);
  });

  it('leaves for the next campaign a grant made after the due date that its issue never listed, decided or not', async () => {
    const late = awsRow({ principalId: 'u-3', grantedAt: '2026-07-16T06:00:00Z' });
    const withLate = assignReviewers(
      [...rows, late],
      { ...file, defaultDecision: 'revoke' },
      {
        accountsUnder: () => undefined,
      },
    );
    await run('2026-07-01T00:00:00Z');
    emulator().github.issues.comment(
      1,
      { login: 'alice', id: 101, type: 'User' },
      `/revoke ${rowIdOf(late)}`,
    );
    const due = await run('2026-07-17T00:00:00Z', true, withLate);
    const outcomes = due.plan.issues[0]!.outcomes!;
    expect(outcomes.map((o) => o.rowId)).not.toContain(rowIdOf(late));
    expect(outcomes).toHaveLength(2);
  });

  it('takes a login pinned in the reviewers file without looking it up', async () => {
    const pinned = assignReviewers(
      rows,
      { ...file, entries: [{ ...file.entries[0]!, reviewers: [{ login: 'alice', id: 101 }] }] },
      { accountsUnder: () => undefined },
    );
    const api = await github.reviewApi();
    const read = await readCampaign(api, at, pinned);
    expect(read.resolved).toEqual(new Map([['alice', 101]]));
    // The list only: no account looked up.
    expect(api.requests()).toBe(1);
  });

  it('stops before any write when a reviewer login is no GitHub account', async () => {
    emulator().github.issues.reset();
    emulator().github.issues.setTeam('acme', 'sec', []);
    await expect(run('2026-07-01T00:00:00Z')).rejects.toThrow(
      /names `alice`, which GitHub has no account for/,
    );
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
  });
});
