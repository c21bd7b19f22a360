// A reconcile's permission sets managed by tag, over the emulated IAM Identity Center through the
// real SDK: what each tag form matches, the reads it takes (shared with names, counted in the
// read), and what a server's odd answer can never do (widen what is managed, or print raw text).
import { describe, expect, it } from '@jest/globals';
import { createAwsReconciler } from '../../../src/aws/reconcile.js';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import {
  ACCOUNT,
  ADMIN,
  DEPLOYERS,
  READ_ONLY,
  awsPlan,
  emulatedDeps,
  emulatedSso,
} from '../../harness/emulated-sso.js';

const sso = emulatedSso();
const aws = () => sso.emulator.aws;

function reconciler(permissionSets: string[], roles: string[] = []) {
  const text = [
    'version: 1',
    'aws:',
    '  manages:',
    '    permission-sets:',
    ...permissionSets.map((p) => `      - '${p}'`),
    ...(roles.length > 0 ? ['  assignments:'] : []),
    ...roles.map(
      (role) =>
        `    - {principal: '${DEPLOYERS}', principal-type: GROUP, role: ${role}, target: '${ACCOUNT}'}`,
    ),
  ].join('\n');
  const parsed = parseManifest('access.yml', text);
  if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
  const { deps, seams } = emulatedDeps(sso);
  return createAwsReconciler(awsPlan(), parsed.manifest.aws!, deps, undefined, seams);
}

async function plan(permissionSets: string[], roles: string[] = []) {
  const r = reconciler(permissionSets, roles);
  await r.prepare();
  const expansion = await r.expand();
  if (expansion.problems.length > 0) return { expansion, current: [], read: undefined };
  const { current, read } = await r.readCurrent(expansion.desired);
  return { expansion, current, read };
}

const tagged = (name: string, tags: Record<string, string>) => aws().addPermissionSet(name, tags);
const managedRoles = (current: { roleId: string; managed: boolean }[]) =>
  [...new Set(current.filter((c) => c.managed).map((c) => c.roleId))].sort();

describe('a tag form manages every permission set of the instance whose tags match', () => {
  it('matches by key and value, or by key alone; the others stay unmanaged', async () => {
    const platform = tagged('Platform', { team: 'platform' });
    const data = tagged('Data', { team: 'data', 'cost-center': '42' });
    for (const arn of [platform, data, READ_ONLY]) sso.addAssignment(DEPLOYERS, arn, ACCOUNT, 'GROUP');
    const { expansion, current } = await plan(['tag:team=platform', 'tag:cost-center'], ['ReadOnlyAccess']);
    expect(expansion.problems).toEqual([]);
    expect(expansion.warnings).toEqual([]);
    expect(expansion.management).toEqual([
      `manages by \`tag:team=platform\` (manifest line 5): 1 permission set(s): Platform (${platform})`,
      `manages by \`tag:cost-center\` (manifest line 6): 1 permission set(s): Data (${data})`,
    ]);
    expect(managedRoles(current)).toEqual([data, platform].sort());
    // ReadOnlyAccess is asked for but not managed: read at its place, never the manifest's to delete.
    expect(current.find((c) => c.roleId === READ_ONLY)?.managed).toBe(false);
    // A tag-matched permission set is shown by its name.
    expect(current.find((c) => c.roleId === platform)?.shown.role).toBe('Platform');
  });

  it('adds the matches to the named permission sets, each managed once', async () => {
    const platform = tagged('Platform', { team: 'platform' });
    aws().state.permissionSets.get(READ_ONLY)!.tags = [{ Key: 'team', Value: 'platform' }];
    sso.addAssignment(DEPLOYERS, platform, ACCOUNT, 'GROUP');
    sso.addAssignment(DEPLOYERS, READ_ONLY, ACCOUNT, 'GROUP');
    const { current } = await plan(['ReadOnlyAccess', 'tag:team=platform']);
    expect(managedRoles(current)).toEqual([platform, READ_ONLY].sort());
  });

  it('reads the tags only when a tag form is written', async () => {
    await plan(['ReadOnlyAccess'], ['ReadOnlyAccess']);
    expect(sso.count('ListTagsForResource')).toBe(0);
  });

  it('shares the list of permission sets and their names with the names the manifest uses, and counts its calls in the read', async () => {
    tagged('Platform', { team: 'platform' });
    const { read } = await plan(['ReadOnlyAccess', 'tag:team=platform'], ['AdministratorAccess']);
    expect(sso.count('ListPermissionSets')).toBe(1);
    // Three permission sets, each described once, for names and the match alike.
    expect(sso.count('DescribePermissionSet')).toBe(3);
    expect(sso.count('ListTagsForResource')).toBe(3);
    expect(read!.strategy).toMatch(/^the managed permission sets: ListPermissionSets, ListTagsForResource/);
    expect(read!.calls).toBeGreaterThanOrEqual(1 + 3 + 3);
  });

  it('describes only the matches when the manifest names no permission set', async () => {
    tagged('Platform', { team: 'platform' });
    await plan(['tag:team=platform']);
    expect(sso.count('DescribePermissionSet')).toBe(1);
  });

  it('follows NextToken through the tags and the permission sets', async () => {
    const many = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, `v${i}`]));
    const platform = tagged('Platform', { ...many, team: 'platform' });
    sso.pageSize(2);
    const { expansion } = await plan(['tag:team=platform']);
    expect(expansion.management?.[0]).toContain(platform);
    expect(sso.count('ListTagsForResource')).toBeGreaterThan(3);
    expect(sso.inputsOf('ListTagsForResource').some((i) => typeof i.NextToken === 'string')).toBe(true);
  });
});

describe('a tag form that matches nothing', () => {
  it('is a warning at its line when the section manages something else', async () => {
    const { expansion } = await plan(['ReadOnlyAccess', 'tag:team=nobody']);
    expect(expansion.problems).toEqual([]);
    expect(expansion.warnings).toEqual([
      {
        line: 6,
        message: `\`aws.manages.permission-sets\`: \`tag:team=nobody\` matches no permission set of ${aws().instanceArn}: it manages nothing`,
      },
    ]);
    expect(expansion.management).toEqual([
      'manages by `tag:team=nobody` (manifest line 6): no permission set',
    ]);
  });

  it('is an error at its line when the section would manage nothing at all', async () => {
    const { expansion } = await plan(['tag:team=nobody', 'tag:Team']);
    expect(expansion.warnings).toEqual([]);
    expect(expansion.problems.map((p) => [p.line, p.message, p.fix])).toEqual([
      [
        5,
        `\`aws.manages.permission-sets\`: \`tag:team=nobody\` matches no permission set of ${aws().instanceArn}, and the section names none: it would manage nothing`,
        'check the tag key and value (both are case-sensitive), tag the permission sets, or name them',
      ],
      [6, expect.stringContaining('`tag:Team` matches no permission set'), expect.any(String)],
    ]);
  });
});

describe('what the server answers never widens what is managed', () => {
  it('leaves out, with a warning, a listed permission set of another instance, whatever its tags', async () => {
    const foreign = READ_ONLY.replace(/ssoins-[^/]+/, 'ssoins-9999999999999999');
    const state = aws().state;
    state.permissionSets.set(foreign, {
      ...state.permissionSets.get(ADMIN)!,
      arn: foreign,
      tags: [{ Key: 'team', Value: 'platform' }],
    });
    const platform = tagged('Platform', { team: 'platform' });
    const { expansion, current } = await plan(['tag:team=platform']);
    expect(expansion.warnings).toEqual([
      {
        line: 5,
        message: `\`aws.manages.permission-sets\`: ListPermissionSets answered 1 ARN(s) that are not permission sets of ${aws().instanceArn}, left out of the tag forms' matches: ${foreign}`,
      },
    ]);
    expect(sso.inputsOf('ListTagsForResource').map((i) => i.ResourceArn)).not.toContain(foreign);
    expect(expansion.management).toEqual([
      `manages by \`tag:team=platform\` (manifest line 5): 1 permission set(s): Platform (${platform})`,
    ]);
    expect(current.filter((c) => c.managed).map((c) => c.roleId)).not.toContain(foreign);
  });

  it('shows a match by its ARN alone when its name is not one a permission set can have', async () => {
    const platform = tagged('Platform', { team: 'platform' });
    aws().state.permissionSets.get(platform)!.name = 'Platform\n::error::forged';
    const { expansion } = await plan(['tag:team=platform']);
    expect(expansion.management).toEqual([
      `manages by \`tag:team=platform\` (manifest line 5): 1 permission set(s): ${platform}`,
    ]);
  });
});

describe('a denied read names the permission it needs, at the tag form’s line', () => {
  it.each([
    ['ListTagsForResource', 'sso:ListTagsForResource'],
    ['ListPermissionSets', 'sso:ListPermissionSets'],
  ])('%s', async (operation, permission) => {
    tagged('Platform', { team: 'platform' });
    aws().faults.accessDenied = [operation];
    const { expansion } = await plan(['tag:team=platform']);
    expect(expansion.problems).toEqual([
      expect.objectContaining({
        line: 5,
        message: expect.stringContaining(`\`aws.manages.permission-sets\`: ${operation} was denied`),
        fix: expect.stringContaining(`allow \`${permission}\``),
      }),
    ]);
  });
});
