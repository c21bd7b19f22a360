import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import type { UnitAccounts } from '../../../../src/core/inputs/org-targets.js';
import type { ReviewersFile } from '../../../../src/operations/review/model/reviewers-file.js';
import { reviewerSetKey } from '../../../../src/operations/review/model/reviewers.js';
import {
  assignReviewers,
  isClaimed,
  matchContextOf,
  ousNamed,
  rowIdOf,
} from '../../../../src/operations/review/model/rows.js';
import { awsRow, azureRow } from './review-rows.js';

const file = (over: Partial<ReviewersFile>): ReviewersFile => ({
  entries: [],
  defaultReviewers: [],
  due: { iso: 'P14D', ms: 14 * 86_400_000 },
  defaultDecision: 'keep',
  ...over,
});
const entry = (over: Partial<ReviewersFile['entries'][number]>) => ({
  line: 1,
  accounts: [],
  scopes: [],
  roles: [],
  reviewers: [{ login: 'alice' }],
  ...over,
});
const noOus = { accountsUnder: () => undefined };

describe("a row's ID is a hash of its place", () => {
  it('is the first 8 hex characters of SHA-256 of account, permission set, principal type and ID', () => {
    const row = awsRow();
    const expected = createHash('sha256')
      .update(['111111111111', row.roleId, 'user', 'u-1'].join('\n'))
      .digest('hex')
      .slice(0, 8);
    expect(row.id).toBe(expected);
    expect(row.id).toMatch(/^[0-9a-f]{8}$/);
  });

  it('stays the same when names, class or dates change, and differs with the place', () => {
    const row = awsRow();
    expect(awsRow({ principalName: 'renamed', held: 'manifest', grantedAt: null }).id).toBe(row.id);
    expect(awsRow({ targetId: '222222222222' }).id).not.toBe(row.id);
    expect(awsRow({ principalId: 'u-2' }).id).not.toBe(row.id);
    expect(awsRow({ principalKind: 'GROUP' }).id).not.toBe(row.id);
  });

  it('keys an Azure scope as ARM compares it (ASCII case folded)', () => {
    expect(rowIdOf(azureRow({ targetId: '/subscriptions/S1/resourcegroups/RG-APP' }))).toBe(azureRow().id);
  });
});

describe('each row is reviewed by every entry that matches it, else by the default reviewers', () => {
  it('matches an account by ID, by its OU and by root, narrowed by permission set name or ARN', () => {
    const accountsUnder = (ou: string) => (ou === 'ou-ab12-cdefgh34' ? new Set(['111111111111']) : undefined);
    const rows = [
      awsRow(),
      awsRow({ targetId: '222222222222' }),
      awsRow({ role: 'ReadOnly', roleId: 'ps-ro' }),
    ];
    const assigned = assignReviewers(
      rows,
      file({
        entries: [
          entry({
            accounts: ['ou-ab12-cdefgh34'],
            roles: ['AdministratorAccess'],
            reviewers: [{ login: 'alice' }],
          }),
          entry({ accounts: ['222222222222'], reviewers: [{ login: 'bob' }] }),
          entry({ accounts: ['root'], roles: ['ps-ro'], reviewers: [{ org: 'acme', team: 'sec' }] }),
        ],
      }),
      { accountsUnder },
    );
    const byKey = Object.fromEntries(assigned.groups.map((g) => [g.key, g.rows.map((r) => r.id)]));
    expect(byKey).toEqual({
      [reviewerSetKey([{ login: 'alice' }])]: [rows[0]!.id],
      [reviewerSetKey([{ login: 'bob' }])]: [rows[1]!.id],
      [reviewerSetKey([{ org: 'acme', team: 'sec' }])]: [rows[2]!.id],
    });
  });

  it('gives a row matched by two entries both sets of reviewers, in one issue of their union', () => {
    const assigned = assignReviewers(
      [awsRow()],
      file({
        entries: [
          entry({ accounts: ['root'], reviewers: [{ login: 'alice' }] }),
          entry({ accounts: ['111111111111'], reviewers: [{ login: 'Bob' }, { login: 'ALICE' }] }),
        ],
      }),
      noOus,
    );
    expect(assigned.groups).toHaveLength(1);
    expect(assigned.groups[0]!.reviewers).toEqual([{ login: 'alice' }, { login: 'Bob' }]);
    expect(assigned.groups[0]!.key).toBe(reviewerSetKey([{ login: 'bob' }, { login: 'alice' }]));
  });

  it('matches an Azure row at or under a scope, and a role by name in any case', () => {
    const under = azureRow();
    const beside = azureRow({ targetId: '/subscriptions/s2' });
    const assigned = assignReviewers(
      [under, beside],
      file({ entries: [entry({ scopes: ['/subscriptions/S1'], roles: ['owner'] })] }),
      noOus,
    );
    expect(assigned.groups.map((g) => g.rows.map((r) => r.id))).toEqual([[under.id]]);
    expect(assigned.unreviewed).toEqual([beside]);
  });

  it('gives unmatched rows to the default reviewers', () => {
    const assigned = assignReviewers(
      [awsRow()],
      file({ entries: [entry({ accounts: ['999999999999'] })], defaultReviewers: [{ login: 'lead' }] }),
      noOus,
    );
    expect(assigned.groups.map((g) => g.reviewers)).toEqual([[{ login: 'lead' }]]);
    expect(assigned.unreviewed).toEqual([]);
  });

  it('does not take an AWS account entry for an Azure row, nor a scope entry for an AWS row', () => {
    const assigned = assignReviewers(
      [awsRow(), azureRow()],
      file({
        entries: [
          entry({ accounts: ['root'], reviewers: [{ login: 'a' }] }),
          entry({ scopes: ['/'], reviewers: [{ login: 'z' }] }),
        ],
      }),
      noOus,
    );
    expect(assigned.groups.map((g) => [g.reviewers, g.rows.map((r) => r.cloud)])).toEqual(
      expect.arrayContaining([
        [[{ login: 'a' }], ['aws']],
        [[{ login: 'z' }], ['azure']],
      ]),
    );
  });

  it('lays the same rows out the same way whatever the order they were read in', () => {
    const rows = [awsRow(), awsRow({ targetId: '222222222222' }), awsRow({ principalId: 'u-9' })];
    const f = file({ defaultReviewers: [{ login: 'lead' }] });
    expect(assignReviewers([...rows].reverse(), f, noOus)).toEqual(assignReviewers(rows, f, noOus));
  });
});

describe('claimed rows', () => {
  it.each([
    ['ephemeral', true],
    ['requested', true],
    ['time-bound', true],
    ['manifest', false],
    ['permanent', false],
    ['foreign', false],
    ['orphaned', false],
  ] as const)('%s is claimed: %s', (held, claimed) => {
    expect(isClaimed(awsRow({ held }))).toBe(claimed);
  });
});

describe('an `ou-…` entry matches the accounts Organizations listed under it', () => {
  const ouFile = file({
    entries: [
      entry({ accounts: ['ou-ab12-cdefgh34', 'root'], reviewers: [{ login: 'bob' }] }),
      entry({ accounts: ['ou-zz99-yyyyxxxx', '111111111111'], reviewers: [{ login: 'carol' }] }),
      entry({ accounts: ['ou-ab12-cdefgh34'], reviewers: [{ login: 'dave' }] }),
    ],
  });

  it('names each OU of the reviewers file once (the root needs no read)', () => {
    expect(ousNamed(ouFile)).toEqual(['ou-ab12-cdefgh34', 'ou-zz99-yyyyxxxx']);
  });

  it('matches a row in an account under the OU, ACTIVE or not, and nothing under an OU whose read failed', () => {
    const context = matchContextOf(
      new Map<string, UnitAccounts>([
        ['ou-ab12-cdefgh34', { accounts: ['222222222222'], notActive: ['333333333333'] }],
        ['ou-zz99-yyyyxxxx', 'organizations:ListAccountsForParent denied'],
      ]),
    );
    const only = file({ entries: [ouFile.entries[2]!] });
    const rows = [awsRow({ targetId: '222222222222' }), awsRow({ targetId: '333333333333' })];
    const assigned = assignReviewers([...rows, awsRow({ targetId: '444444444444' })], only, context);
    expect(assigned.groups.map((g) => g.rows.map((r) => r.targetId).sort())).toEqual([
      ['222222222222', '333333333333'],
    ]);
    expect(assigned.unreviewed.map((r) => r.targetId)).toEqual(['444444444444']);
    expect(context.accountsUnder('ou-zz99-yyyyxxxx')).toBeUndefined();
  });
});
