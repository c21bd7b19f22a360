// A kind of access of another shape than an assignment's (a principal's membership of a group: no
// role, no scope) goes through the reconcile's plan and the report's rows by its own module and
// its registration alone (__tests__/fixtures/kinds/group-membership.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { assignmentKey, kindNamed, registerKind } from '../../../src/core/kinds/index.js';
import {
  keyedBy,
  planCounts,
  planReconcile,
  type CurrentAssignment,
  type DesiredAssignment,
} from '../../../src/core/plan/assignment-diff.js';
import { withClaims } from '../../../src/core/plan/claimed-deletes.js';
import { deletesAwaitCreate, refusalOf } from '../../../src/operations/reconcile/reconcile-plan.js';
import { driftRemaining, hasDrift } from '../../../src/operations/reconcile/reconcile-drift.js';
import { accessRows, classCounts, writtenRow } from '../../../src/operations/report/access-rows.js';
import { rowKey } from '../../../src/operations/report/access-row-key.js';
import type { HeldAssignment } from '../../../src/engine/run/access-reader.js';
import {
  groupMembership,
  MEMBER_ROLE,
  type GroupMembershipShape,
  type MembershipParts,
} from '../../fixtures/kinds/group-membership.js';

const ALICE = 'aaaaaaaa-0000-0000-0000-000000000001';
const BOB = 'bbbbbbbb-0000-0000-0000-000000000002';
const CAROL = 'cccccccc-0000-0000-0000-000000000003';
const ADMINS = '99999999-0000-0000-0000-00000000000a';

type Settings = { justification: string };

const desired = (
  parts: MembershipParts,
  line: number,
): DesiredAssignment<Settings, string, GroupMembershipShape> => ({
  ...keyedBy(groupMembership, parts),
  target: parts.groupId,
  written: { principal: parts.memberId, role: MEMBER_ROLE, target: parts.groupId },
  line,
  managed: true,
  settings: { justification: 'listed' },
});

const current = (
  parts: MembershipParts,
  managed: boolean,
): CurrentAssignment<string, GroupMembershipShape> => ({
  ...keyedBy(groupMembership, parts),
  target: parts.groupId,
  managed,
  shown: { principal: parts.memberId, role: MEMBER_ROLE, target: parts.groupId },
});

describe('a kind of another shape in the reconcile’s plan', () => {
  it('creates the memberships the file lists, deletes the managed ones it no longer lists, and keys by member and group ignoring case', () => {
    const plan = planReconcile(
      [desired({ memberId: ALICE, groupId: ADMINS }, 3), desired({ memberId: BOB, groupId: ADMINS }, 4)],
      [
        current({ memberId: ALICE.toUpperCase(), groupId: ADMINS.toUpperCase() }, true),
        current({ memberId: CAROL, groupId: ADMINS }, true),
        current({ memberId: BOB, groupId: CAROL }, false),
      ],
    );
    expect(plan.creates.map((c) => [c.memberId, c.line])).toEqual([[BOB, 4]]);
    expect(plan.unchanged.map((c) => c.memberId)).toEqual([ALICE]);
    expect(plan.deletes.map((d) => d.memberId)).toEqual([CAROL]);
    expect(plan.unmanaged.map((d) => d.groupId)).toEqual([CAROL]);
    expect(planCounts(plan)).toEqual({
      create: 1,
      delete: 1,
      unchanged: 1,
      unmanaged: 1,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(plan.creates[0]!.kind).toBe('azure-group-membership');
  });

  it('is decided by the operation as any plan is: drift, max-deletions and a delete held for a create', () => {
    const plan = planReconcile(
      [desired({ memberId: BOB, groupId: ADMINS }, 4)],
      [current({ memberId: CAROL, groupId: ADMINS }, true)],
    );
    expect(hasDrift(plan)).toBe(true);
    expect(driftRemaining(plan, { wrote: false, results: [] })).toBe(true);
    expect(refusalOf(plan, { maxDeletions: 0, allowDeleteAll: false, section: 'azure' })?.reason).toMatch(
      /deletes 1 assignments, more than `max-deletions` \(0\)/,
    );
    expect(refusalOf(plan, { maxDeletions: 5, allowDeleteAll: false, section: 'azure' })).toBeUndefined();
    expect(deletesAwaitCreate(plan, false)).toBe(true);
  });

  it('leaves a managed membership a live claim holds, as claimed', () => {
    const plan = planReconcile([], [current({ memberId: CAROL, groupId: ADMINS }, true)]);
    const claimed = withClaims(plan, () => ({ live: { kind: 'ephemeral', reason: 'a running job’s' } }));
    expect(claimed.plan.deletes).toEqual([]);
    expect(claimed.plan.claimed.map((c) => [c.memberId, c.claim.kind])).toEqual([[CAROL, 'ephemeral']]);
  });
});

describe('a kind of another shape in the report', () => {
  const held = (more: Partial<HeldAssignment> = {}): HeldAssignment => ({
    kind: groupMembership.kind,
    principal: { id: ALICE, name: 'alice', kind: 'user' },
    role: { id: MEMBER_ROLE },
    target: { id: ADMINS, name: 'admins' },
    ...more,
  });

  it('classes its rows by the evidence, as every kind’s', () => {
    const rows = accessRows(
      'azure',
      [
        held(),
        held({ principal: { id: BOB, gone: true } }),
        held({ principal: { id: CAROL }, manifest: { path: '.github/access.yml', line: 3 } }),
      ],
      {},
    );
    expect(Object.fromEntries(rows.map((r) => [r.principalId, r.held]))).toEqual({
      [ALICE]: 'foreign',
      [BOB]: 'orphaned',
      [CAROL]: 'manifest',
    });
    expect(classCounts(rows)).toMatchObject({ foreign: 1, orphaned: 1, manifest: 1 });
  });

  it('writes its kind’s word and keys its rows by its own key, never as a role assignment of the same IDs', () => {
    const [row] = accessRows('azure', [held()], {});
    expect(writtenRow(row!).kind).toBe('active');
    expect(rowKey(row!)).toBe(rowKey({ ...row!, principalId: ALICE.toUpperCase() }));
    expect(rowKey(row!)).toContain(groupMembership.key({ memberId: ALICE, groupId: ADMINS }));
    expect(rowKey(row!)).not.toBe(rowKey({ ...row!, kind: 'azure-role-assignment' }));
    expect(
      assignmentKey('azure-role-assignment', {
        principalId: ALICE,
        principalType: '',
        roleId: MEMBER_ROLE,
        targetId: ADMINS,
      }),
    ).not.toBe(groupMembership.key({ memberId: ALICE, groupId: ADMINS }));
  });
});

describe('the registry of kinds', () => {
  it('finds a kind of its own shape by its name, and refuses a second kind under a name taken', () => {
    expect(kindNamed('azure-group-membership')).toBe(groupMembership);
    expect(() => registerKind({ ...groupMembership })).toThrow(/already registered/);
    expect(() => registerKind({ ...kindNamed('azure-role-assignment') })).toThrow(/already registered/);
    expect(() => kindNamed('azure-nothing')).toThrow(/no kind of access is named azure-nothing/);
  });
});

describe('what a kind of another shape costs', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = resolve(here, '../../..');
  const fixtures = [
    join(root, '__tests__/fixtures/kinds/group-membership.ts'),
    fileURLToPath(import.meta.url),
  ];
  const srcFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? srcFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );

  it('is no src file: no src file names it', () => {
    const naming = srcFiles(join(root, 'src')).filter((f) =>
      /azure-group-membership|group-membership\.js/.test(readFileSync(f, 'utf8')),
    );
    expect(naming.map((f) => relative(root, f))).toEqual([]);
  });

  it('reaches at most 10 src files, the seams it plugs into', () => {
    const reached = new Set<string>();
    for (const file of fixtures)
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g))
        if (spec!.startsWith('.')) {
          const target = relative(root, resolve(dirname(file), spec!.replace(/\.js$/, '.ts')));
          if (target.startsWith('src/')) reached.add(target);
        }
    expect(reached.size).toBeGreaterThan(0);
    expect(reached.size).toBeLessThanOrEqual(10);
  });
});
