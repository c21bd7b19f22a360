import { describe, expect, it } from '@jest/globals';
import { describeOutcome, resultsOutput, summariseResults } from '../../../src/core/output/results.js';
import { inertJson } from '../../../src/core/inert.js';
import { LISTED_ACCOUNTS, summaryTable } from '../../../src/core/output/summary-table.js';
import type { GrantResult } from '../../../src/core/grant-result.js';
import { grantResult } from '../../harness/grant-result.js';

const result = grantResult;

describe('step outputs summarise every grant', () => {
  it('status is the worst over all grants', () => {
    expect(summariseResults([result({}), result({ status: 'IN_PROGRESS' })]).status).toBe('IN_PROGRESS');
    expect(summariseResults([result({ status: 'FAILED' }), result({ status: 'IN_PROGRESS' })]).status).toBe(
      'FAILED',
    );
    expect(summariseResults([result({}), result({})]).status).toBe('SUCCEEDED');
  });

  it('changed is true when any grant changed; request-id is the first one', () => {
    const outputs = summariseResults([
      result({}),
      result({ changed: true, requestId: 'r-2' }),
      result({ requestId: 'r-3' }),
    ]);
    expect(outputs).toMatchObject({ changed: true, requestId: 'r-2' });
  });

  it('results lists each grant without internal fields', () => {
    const [entry] = JSON.parse(
      inertJson(
        resultsOutput([
          result({ resolved: { cloud: 'aws', principalId: 'p', accountId: 't', roleId: 'r' } }),
        ]),
      ),
    );
    expect(entry).toMatchObject({
      cloud: 'aws',
      principal: 'alice',
      status: 'SUCCEEDED',
      existed: false,
      exists: true,
      changed: false,
      action: 'create',
    });
    expect(entry.resolved).toBeUndefined();
  });

  it('the job summary shows before → after and the time taken', () => {
    const {
      header,
      rows: [row],
    } = summaryTable('assign', [result({ changed: true, requestId: 'r-1' })], false);
    expect(header.slice(0, 3)).toEqual(['Principal', 'Target', 'Role']);
    expect(row).toEqual([
      'alice',
      '111111111111',
      'Admin',
      // The kind is said only of an eligibility; the renderer leaves the column out where none is.
      '—',
      'absent → present (created)',
      'SUCCEEDED',
      'r-1',
      '1.5 s',
      '—',
      '',
    ]);
  });
});

describe('results and the job summary say the kind of access', () => {
  it('every grant is `active` unless it is an Azure PIM eligibility', () => {
    expect(JSON.parse(inertJson(resultsOutput([result({})])))[0]).toMatchObject({ kind: 'active' });
    expect(JSON.parse(inertJson(resultsOutput([result({ assignmentType: 'eligible' })])))[0]).toMatchObject({
      kind: 'eligible',
    });
  });

  it("the summary's Kind column names an eligibility", () => {
    const { header, rows } = summaryTable('assign', [result({ assignmentType: 'eligible' })], false);
    expect(rows[0]![header.indexOf('Kind')]).toBe('eligible');
  });
});

describe('results say whether the assignment existed, for assign and revoke alike', () => {
  const entry = (o: Partial<GrantResult>) => JSON.parse(inertJson(resultsOutput([result(o)])))[0];

  it('assigning what was already there: existed, exists, nothing changed', () => {
    expect(entry({ before: 'present', after: 'present', change: 'none' })).toMatchObject({
      existed: true,
      exists: true,
      changed: false,
      action: 'none',
    });
  });

  it('revoking what was absent: it did not exist, and still does not', () => {
    expect(entry({ operation: 'revoke', before: 'absent', after: 'absent', change: 'none' })).toMatchObject({
      existed: false,
      exists: false,
      changed: false,
      action: 'none',
    });
  });

  it('revoking what was there: existed, exists no more, changed', () => {
    expect(
      entry({ operation: 'revoke', before: 'present', after: 'absent', changed: true, change: 'delete' }),
    ).toMatchObject({ existed: true, exists: false, changed: true, action: 'delete' });
  });

  it('says null where the step could not tell (a request still running)', () => {
    expect(entry({ status: 'IN_PROGRESS', before: 'absent', after: 'unknown' })).toMatchObject({
      existed: false,
      exists: null,
    });
  });

  it('has no field that reads one way for assign and the other for revoke', () => {
    expect(Object.keys(entry({}))).not.toContain('alreadyExisted');
  });
});

describe('the provision summary has a row per permission set', () => {
  const provisioned = (o: Partial<GrantResult> = {}): GrantResult =>
    result({
      operation: 'provision',
      principal: '',
      target: 'ALL_PROVISIONED_ACCOUNTS',
      role: 'ReadOnlyAccess',
      before: 'unknown',
      after: 'unknown',
      change: 'provision',
      changed: true,
      requestId: 'p-1',
      detail: {
        requestPlan: 'per-account',
        outdated: ['222222222222', '333333333333'],
        alreadyCurrent: ['111111111111'],
        reprovisioned: ['222222222222', '333333333333'],
        failed: [],
        requestIds: ['p-1', 'p-2'],
      },
      ...o,
    });

  it('names its columns for permission sets and accounts, not principals', () => {
    const { header } = summaryTable('provision', [provisioned()], false);
    expect(header).toEqual([
      'Permission set',
      'Accounts asked',
      'Re-provisioned',
      'Already current',
      'Status',
      'Request IDs',
      'Time',
      'Note',
    ]);
  });

  it('lists the accounts re-provisioned, those already current, and every request ID', () => {
    const { rows } = summaryTable('provision', [provisioned()], false);
    expect(rows[0]).toEqual([
      'ReadOnlyAccess',
      'ALL_PROVISIONED_ACCOUNTS',
      '2: 222222222222, 333333333333',
      '1: 111111111111',
      'SUCCEEDED',
      'p-1, p-2',
      '1.5 s',
      '',
    ]);
  });

  it('a dry run lists the accounts it would re-provision', () => {
    const dry = provisioned({
      changed: false,
      detail: {
        requestPlan: 'per-account',
        outdated: ['222222222222'],
        alreadyCurrent: [],
        wouldProvision: ['222222222222'],
      },
    });
    const { header, rows } = summaryTable('provision', [dry], true);
    expect(header[2]).toBe('Would re-provision');
    expect(rows[0]!.slice(2, 6)).toEqual(['1: 222222222222', '—', 'planned', '—']);
  });

  it('lists every request ID of a permission set, even past the accounts shown', () => {
    const ids = Array.from(
      { length: 1000 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const accounts = ids.map((_, i) => String(100000000000 + i));
    const many = provisioned({
      detail: {
        requestPlan: 'per-account',
        outdated: accounts,
        alreadyCurrent: [],
        reprovisioned: accounts,
        requestIds: ids,
      },
    });
    const cell = summaryTable('provision', [many], false).rows[0]![5]!;
    expect(cell.split(', ')).toEqual(ids);
  });

  it('cuts request IDs only when thousands of rows of them would not fit the 1 MiB summary', () => {
    const ids = Array.from(
      { length: 2000 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const rows = Array.from({ length: 50 }, () =>
      provisioned({
        detail: { requestPlan: 'per-account', outdated: [], alreadyCurrent: [], requestIds: ids },
      }),
    );
    const table = summaryTable('provision', rows, false);
    const size = table.rows.reduce((n, row) => n + row.join('').length, 0);
    expect(size).toBeLessThan(600_000);
    expect(table.rows[0]![5]).toContain('more (see the <code>results</code> output)');
  });

  it("budgets request IDs by their length, so a server's overlong IDs cannot swell the summary", () => {
    const ids = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(100_000, 'x'));
    const row = summaryTable(
      'provision',
      [
        provisioned({
          detail: { requestPlan: 'per-account', outdated: [], alreadyCurrent: [], requestIds: ids },
        }),
      ],
      false,
    ).rows[0]!;
    // 400 KB for the one row: 3 of the 100 KB IDs fit.
    expect(row[5]!.length).toBeLessThan(500_000);
    expect(row[5]!.endsWith(' … and 17 more (see the <code>results</code> output)')).toBe(true);
  });

  it('cuts a long account list short, pointing to the results output', () => {
    const accounts = Array.from({ length: LISTED_ACCOUNTS + 5 }, (_, i) => String(100000000000 + i));
    const many = provisioned({
      detail: {
        requestPlan: 'all-provisioned-accounts',
        outdated: accounts,
        alreadyCurrent: [],
        reprovisioned: accounts,
      },
    });
    const cell = summaryTable('provision', [many], false).rows[0]![2]!;
    expect(cell).toMatch(new RegExp(`^${LISTED_ACCOUNTS + 5}: 100000000000, `));
    expect(cell).toContain('… and 5 more (see the <code>results</code> output)');
    expect(cell).not.toContain(accounts.at(-1));
  });

  it('shows why a permission set did not succeed', () => {
    const failed = provisioned({ status: 'FAILED', failureReason: '333333333333: quota exceeded' });
    expect(summaryTable('provision', [failed], false).rows[0]![4]).toBe(
      'FAILED: 333333333333: quota exceeded',
    );
  });
});

describe("what the post step's rows say it did", () => {
  it('a grant it left in place unread (not shown to be its own) is left in place, not already absent', () => {
    const revoke = { operation: 'revoke', change: 'none', before: 'unknown' } as const;
    expect(describeOutcome(result({ ...revoke, after: 'unknown' }), false)).toBe('left in place');
    expect(describeOutcome(result({ ...revoke, after: 'present' }), false)).toBe('left in place');
    expect(describeOutcome(result({ ...revoke, after: 'absent' }), false)).toBe('already absent');
  });
});

describe('names beside the IDs', () => {
  it('results carry principalName, roleName and targetName where known, inert, and the summary shows name (id)', () => {
    const named = result({
      principal: 'g-123',
      principalName: 'ops\n::warning::pwned ##[add-mask]x',
      roleName: 'ReadOnlyAccess',
      role: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
      targetName: 'prod',
    });
    const [json] = JSON.parse(inertJson(resultsOutput([named, result({})]))) as Record<string, unknown>[];
    expect(json).toMatchObject({ principal: 'g-123', roleName: 'ReadOnlyAccess', targetName: 'prod' });
    expect(json!.principalName).toBe('ops%0A::warning::pwned %23%23[add-mask]x');
    expect(inertJson(resultsOutput([named]))).not.toContain('##[');
    expect(Object.keys(JSON.parse(inertJson(resultsOutput([result({})])))[0])).not.toContain('principalName');
    const [row] = summaryTable('assign', [named], false).rows;
    expect(row!.slice(0, 3)).toEqual([
      'ops%0A::warning::pwned %23%23[add-mask]x (g-123)',
      'prod (111111111111)',
      'ReadOnlyAccess (arn:aws:sso:::permissionSet/ssoins-1/ps-1)',
    ]);
  });
});
