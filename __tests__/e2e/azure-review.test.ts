// `operation: review` on Azure through the bundle, as the runner runs it, against the emulator's
// ARM, Graph and GitHub issues API: a run opens the campaign's issue with a row per role
// assignment at the scope; a reviewer's `/revoke` is recorded; at the due date a `schedule` run
// deletes the role assignment decided `revoke` through ARM, keeps the one decided `keep`, closes
// the issue with every row's outcome, and a run after the close changes nothing.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azure, azureInputs, READER, runReview, subscription, useEmulator } from './fixture.js';

const emulator = useEmulator();
const github = () => emulator().github;
const workspace = mkdtempSync(join(tmpdir(), 'azure-review-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
const scope = () => `${subscription()}/resourceGroups/rg-review`;
const OTHER = '99999999-9999-4999-8999-999999999999';
const DAY = 86_400_000;
const alice = { login: 'alice', id: 101, type: 'User' as const };

const user = (name: string) => azure().addUser({ userPrincipalName: `${name}@contoso.com` }).id;
const review = (inputs: Record<string, string> = {}, event = 'schedule') =>
  runReview(azureInputs({ target: scope(), ...inputs }), workspace, event);

interface Record_ {
  issue: number | null;
  outcomes: { rowId: string; outcome: string; result: { status: string } | null }[] | null;
  rows: { id: string; principalId: string }[];
}
const recordOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(readFileSync(step.outputs.review!, 'utf8')) as Record_[];
const deletes = () =>
  emulator().requests.filter((r) => r.write && /RoleAssignments_Delete/.test(r.operation));
const holds = (principalId: string) => azure().findRoleAssignment(scope(), principalId, READER) !== undefined;

describe('an Azure review campaign at its due date', () => {
  it('deletes the role assignment decided `revoke` on a schedule run, keeps the one kept, and closes the issue with every outcome', async () => {
    github().repository.setFile(
      'main',
      '.github/access-reviewers.yml',
      'version: 1\ndefault-reviewers: alice\n',
    );
    github().issues.setUser(alice);
    const bob = user(`bob-${Date.now()}`);
    const carol = user(`carol-${Date.now()}`);
    // Both made before the campaign (a grant made after its due date is the next campaign's, or
    // decided only by decisions since: GitHub's whole seconds could put alice's in the same second).
    for (const principalId of [bob, carol])
      azure().addRoleAssignment({
        scope: scope(),
        roleDefinitionId: READER,
        principalId,
        createdBy: OTHER,
        createdOn: new Date(Date.now() - 20 * DAY),
      });

    // The campaign's issue was opened 15 days ago: `due` (14d) has passed since.
    github().issues.setNow(new Date(Date.now() - 15 * DAY).toISOString());
    const opened = await review();
    github().issues.setNow(undefined);
    expect(opened.exitCode).toBe(0);
    const [issue] = github().issues.issues();
    const rows = recordOf(opened)[0]!.rows;
    const bobRow = rows.find((r) => r.principalId === bob)!;
    const carolRow = rows.find((r) => r.principalId === carol)!;
    github().issues.comment(issue!.number, alice, `/revoke ${bobRow.id} left the team`);
    github().issues.comment(issue!.number, alice, `/keep ${carolRow.id}`);

    // An issue_comment run at the due date only rewrites the table: nothing is deleted.
    const onComment = await review({}, 'issue_comment');
    expect(onComment.exitCode).toBe(0);
    expect(deletes()).toEqual([]);

    const due = await review();
    expect(due.exitCode).toBe(0);
    expect(deletes()).toHaveLength(1);
    expect(holds(bob)).toBe(false);
    expect(holds(carol)).toBe(true);
    expect(github().issues.issue(issue!.number)).toEqual(expect.objectContaining({ state: 'closed' }));
    const closing = github().issues.comments(issue!.number).at(-1)!;
    expect(closing.body).toMatch(new RegExp(`\\| \`${bobRow.id}\` \\|.*\\*\\*revoked\\*\\*`));
    expect(closing.body).toMatch(new RegExp(`\\| \`${carolRow.id}\` \\|.*kept, as \`alice\` decided`));
    expect(recordOf(due)[0]!.outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rowId: bobRow.id,
          outcome: 'revoke',
          result: expect.objectContaining({ status: 'revoked' }),
        }),
        expect.objectContaining({ rowId: carolRow.id, outcome: 'kept' }),
      ]),
    );

    const writesBefore = emulator().requests.filter((r) => r.write).length;
    const after = await review();
    expect(after.exitCode).toBe(0);
    expect(after.stdout).toContain('review: campaign 2026-Q4 is closed');
    expect(emulator().requests.filter((r) => r.write)).toHaveLength(writesBefore);
  });
});
