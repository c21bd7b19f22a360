import { describe, expect, it } from '@jest/globals';
import type { AccessRow } from '../../../src/operations/report/access-rows.js';
import { assignRows, withMembers } from '../../../src/operations/review/assigned-rows.js';
import type { ReviewersFile } from '../../../src/operations/review/model/reviewers-file.js';
import { recordedRunner } from '../../steps/recorded-runner.js';

const row = (over: Partial<AccessRow> = {}): AccessRow => ({
  cloud: 'aws',
  principalKind: 'USER',
  principalName: 'alice@example.com',
  principalId: 'u-1',
  role: 'AdministratorAccess',
  roleId: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
  target: 'prod',
  targetId: '111111111111',
  held: 'foreign',
  manifest: null,
  manifestLine: null,
  run: null,
  expiresAt: null,
  viaGroup: null,
  viaGroupId: null,
  warning: null,
  grantedAt: null,
  grantedBy: null,
  inherited: null,
  kind: 'aws-account-assignment',
  live: null,
  ...over,
});
const group = row({ principalKind: 'group', principalName: 'admins', principalId: 'g-1' });
const member = (id: string) =>
  row({ principalId: id, principalName: `${id}@example.com`, viaGroup: 'admins', viaGroupId: 'g-1' });

describe("the read's rows as the review's", () => {
  it('makes a group one row, with its members counted and the first of them shown', () => {
    const rows = withMembers([group, ...Array.from({ length: 25 }, (_, i) => member(`u-${i + 10}`))]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ principalId: 'g-1', members: { count: 25 } });
    expect(rows[0]!.members!.first).toHaveLength(20);
    expect(rows[0]!.members!.first[0]).toEqual({ name: 'u-10@example.com', id: 'u-10' });
  });

  it("carries each row's last use and whether the evidence was complete, where usage was read", () => {
    const used = { lastUsed: '2026-06-20T10:00:00Z', lastUsedEvent: 'e-1', lastUsedBy: 'bob', usedBy: 2 };
    const [read] = withMembers([{ ...group, ...used }], { complete: false });
    expect(read!.usage).toEqual({
      lastUsed: '2026-06-20T10:00:00Z',
      lastUsedBy: 'bob',
      usedBy: 2,
      complete: false,
    });
    expect(withMembers([row()])[0]).not.toHaveProperty('usage');
  });

  it('shows a group whose members were not listed with none, and a user without members', () => {
    const rows = withMembers([group, row()]);
    expect(rows.map((r) => r.members)).toEqual([{ count: 0, first: [] }, undefined]);
    expect(rows[1]!.id).toMatch(/^[0-9a-f]{8}$/);
  });

  it('warns of a row nobody reviews, and gives the others their reviewers', async () => {
    const file: ReviewersFile = {
      entries: [
        { line: 3, accounts: ['222222222222'], scopes: [], roles: [], reviewers: [{ login: 'alice' }] },
      ],
      defaultReviewers: [],
      due: { iso: 'P14D', ms: 14 * 86_400_000 },
      defaultDecision: 'keep',
    };
    const { effects, said } = recordedRunner();
    const read = { rows: [row(), row({ targetId: '222222222222' })], reader: {}, activity: undefined };
    const assignment = await assignRows(read as never, file, effects);
    expect(assignment.groups.map((g) => g.rows.map((r) => r.targetId))).toEqual([['222222222222']]);
    expect(said.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(
        /^review: row [0-9a-f]{8} \(alice@example.com on 111111111111\) matches no entry/,
      ),
    ]);
  });
});
