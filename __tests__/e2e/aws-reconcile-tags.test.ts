// `operation: reconcile` on AWS with permission sets managed by tag, end to end: the bundled main
// step, a manifest whose `aws.manages.permission-sets` holds `tag:team=platform`, the emulator's
// IAM Identity Center (permission sets tagged there) behind the unmodified SDK.
import { describe, expect, it } from '@jest/globals';
import { useEmulator, warningsBesideSessions } from './fixture.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 200 });
const { reconcile, group, writes, results } = awsReconcileWorkspace(emulator, 'reconcile-aws-tags-');
const aws = () => emulator().aws;

const MANIFEST = `version: 1
aws:
  manages:
    permission-sets: [tag:team=platform]
  assignments:
    - {principal: Deployers, principal-type: GROUP, role: PlatformDeploy, target: '111111111111'}
    - {principal: Deployers, principal-type: GROUP, role: PowerUserAccess, target: '111111111111'}
`;

/** Two permission sets tagged `team=platform`, and assignments of them and of an untagged one. */
function seed() {
  const deploy = aws().addPermissionSet('PlatformDeploy', { team: 'platform' });
  const ops = aws().addPermissionSet('PlatformOps', { team: 'platform', tier: 'gold' });
  const power = aws().permissionSetArn('PowerUserAccess');
  aws().addAssignment(group('Deployers', deploy)); // listed: unchanged
  aws().addAssignment(group('Platform', ops)); // tagged, not listed: deleted
  aws().addAssignment(group('Platform', power)); // untagged, at a listed place: unmanaged
  aws().addAssignment(group('Deployers', power)); // listed: unchanged
  return { deploy, ops, power };
}

const matchLine = (sets: Record<string, string>) =>
  `manages by \`tag:team=platform\` (manifest line 4): 2 permission set(s): ${Object.entries(sets)
    .map(([name, arn]) => `${name} (${arn})`)
    .join(', ')}`;
/** The same line in the job summary, where the tag form is code (<code>, as GitHub renders it). */
const summaryItem = (line: string) =>
  `<li>${line.replace('`tag:team=platform`', '<code>tag:team=platform</code>')}</li>`;

describe('a manifest manages the permission sets a tag form matches', () => {
  it('deletes an unlisted assignment of a tagged permission set, leaves an untagged one alone, and names the matches', async () => {
    const { deploy, ops, power } = seed();
    const step = await reconcile(MANIFEST);
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 0,
      delete: 1,
      unchanged: 2,
      unmanaged: 1,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(aws().hasAssignment(group('Platform', ops))).toBe(false);
    expect(aws().hasAssignment(group('Platform', power))).toBe(true);
    expect(aws().hasAssignment(group('Deployers', deploy))).toBe(true);
    expect(writes().map((w) => w.operation)).toEqual(['DeleteAccountAssignment']);
    // The delete shows the permission set by the name IAM Identity Center gave it.
    expect(results(step.outputs).map((r) => [r.operation, r.role, r.status])).toEqual([
      ['revoke', 'PlatformOps', 'SUCCEEDED'],
    ]);
    const matches = matchLine({ PlatformDeploy: deploy, PlatformOps: ops });
    expect(step.stdout).toContain(matches);
    expect(step.summary).toContain(summaryItem(matches));
    expect(step.summary).toContain('unmanaged');
    // The tags' reads are part of the read the plan reports.
    expect(step.stdout).toMatch(
      /read: the managed permission sets: ListPermissionSets, ListTagsForResource per permission set, DescribePermissionSet per match; .*: \d+ call\(s\)/,
    );
    expect(warningsBesideSessions(step)).toEqual([]);
  });

  it('a dry run on a pull request shows the matches and the plan, and writes nothing', async () => {
    const { deploy, ops } = seed();
    const step = await reconcile(MANIFEST, { 'dry-run': 'true' }, { GITHUB_EVENT_NAME: 'pull_request' });
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 0,
      delete: 1,
      unchanged: 2,
      unmanaged: 1,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(step.outputs.drift).toBe('true');
    expect(writes()).toEqual([]);
    expect(results(step.outputs).map((r) => [r.action, r.role])).toEqual([['delete', 'PlatformOps']]);
    const matches = matchLine({ PlatformDeploy: deploy, PlatformOps: ops });
    expect(step.stdout).toContain(matches);
    expect(step.summary).toContain(summaryItem(matches));
  });

  it('a tag form that matches nothing beside a named permission set is a warning at its line', async () => {
    aws().addAssignment(group('Platform', 'ReadOnlyAccess'));
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess'));
    const step = await reconcile(
      `version: 1\naws:\n  manages:\n    permission-sets: [ReadOnlyAccess, tag:team=nobody]\n  assignments:\n    - {principal: Deployers, principal-type: GROUP, role: ReadOnlyAccess, target: '111111111111'}\n`,
      { 'dry-run': 'true' },
    );
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ delete: 1 });
    expect(warningsBesideSessions(step)).toEqual([
      `access.yml:4: \`aws.manages.permission-sets\`: \`tag:team=nobody\` matches no permission set of ${aws().instanceArn}: it manages nothing`,
    ]);
    expect(step.stdout).toContain('::warning file=access.yml,line=4::');
  });
});

describe('tag forms that cannot be a plan stop the step before any write', () => {
  it('a malformed tag form is a manifest error at its line, before any request', async () => {
    const step = await reconcile(
      "version: 1\naws:\n  manages:\n    permission-sets:\n      - ReadOnlyAccess\n      - 'tag:team!=platform'\n",
    );
    expect(step.exitCode).not.toBe(0);
    expect(step.errors[0]).toMatch(
      /^access\.yml:6: `aws\.manages\.permission-sets`: `tag:team!=platform`: a tag key is/,
    );
    expect(emulator().requests).toEqual([]);
  });

  it('a tag form in an assignment’s role is refused, saying why', async () => {
    const step = await reconcile(
      "version: 1\naws:\n  manages: {permission-sets: [ReadOnlyAccess]}\n  assignments:\n    - {principal: Deployers, principal-type: GROUP, role: 'tag:team=platform', target: '111111111111'}\n",
    );
    expect(step.exitCode).not.toBe(0);
    expect(step.errors[0]).toContain(
      'access.yml:5: `aws.assignments[0].role`: `tag:team=platform` chooses permission sets by tag, which only `aws.manages.permission-sets` of a reconcile manifest takes',
    );
    expect(emulator().requests).toEqual([]);
  });

  it('tag forms alone that match nothing are an error at their line: the section would manage nothing', async () => {
    aws().addAssignment(group('Platform', 'ReadOnlyAccess'));
    const step = await reconcile(`version: 1\naws:\n  manages:\n    permission-sets: [tag:team=nobody]\n`);
    expect(step.exitCode).not.toBe(0);
    expect(step.errors[0]).toContain(
      'access.yml:4: `aws.manages.permission-sets`: `tag:team=nobody` matches no permission set',
    );
    expect(writes()).toEqual([]);
  });

  it('a role refused ListTagsForResource is told the permission to add', async () => {
    seed();
    aws().faults.accessDenied = ['ListTagsForResource'];
    const step = await reconcile(MANIFEST);
    expect(step.exitCode).not.toBe(0);
    expect(step.errors[0]).toMatch(
      /access\.yml:4: `aws\.manages\.permission-sets`: ListTagsForResource was denied.*allow `sso:ListTagsForResource`/,
    );
    expect(writes()).toEqual([]);
  });
});
