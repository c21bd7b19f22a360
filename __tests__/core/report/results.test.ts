import { describe, expect, it } from '@jest/globals';
import { describeOutcome, resultsJson, summariseResults } from '../../../src/core/report/results.js';
import { LISTED_ACCOUNTS, summaryTable } from '../../../src/core/report/summary-table.js';
import {
  describeRevokes,
  leftToExpireWarning,
} from '../../../src/operations/revoke-on-exit/revoke-report.js';
import {
  foundInPlaceNote,
  remadeRelianceWarning,
  sharedGrantsNotice,
  unregisteredRelianceWarning,
} from '../../../src/operations/assign/assign-report.js';
import type { GrantResult } from '../../../src/core/types.js';

const result = (o: Partial<GrantResult>): GrantResult => ({
  cloud: 'aws',
  operation: 'assign',
  principal: 'alice',
  target: '111111111111',
  role: 'Admin',
  status: 'SUCCEEDED',
  changed: false,
  before: 'absent',
  after: 'present',
  change: 'create',
  durationMs: 1500,
  ...o,
});

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
      resultsJson([result({ resolved: { cloud: 'aws', principalId: 'p', accountId: 't', roleId: 'r' } })]),
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
    expect(JSON.parse(resultsJson([result({})]))[0]).toMatchObject({ kind: 'active' });
    expect(JSON.parse(resultsJson([result({ assignmentType: 'eligible' })]))[0]).toMatchObject({
      kind: 'eligible',
    });
  });

  it("the summary's Kind column names an eligibility", () => {
    const { header, rows } = summaryTable('assign', [result({ assignmentType: 'eligible' })], false);
    expect(rows[0]![header.indexOf('Kind')]).toBe('eligible');
  });
});

describe('results say whether the assignment existed, for assign and revoke alike', () => {
  const entry = (o: Partial<GrantResult>) => JSON.parse(resultsJson([result(o)]))[0];

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

describe("the post step's one notice and one warning", () => {
  const none = { revoked: 0, alreadyAbsent: 0, failed: 0, existedBefore: 0, notShownOwn: 0 };

  it('counts the grants revoked, already absent, failed and left in place', () => {
    expect(describeRevokes({ ...none, revoked: 2, alreadyAbsent: 1 })).toBe(
      'revoke-on-exit: 2 revoked, 1 already absent, 0 failed, 0 left in place',
    );
  });

  it('says why grants were left in place', () => {
    expect(describeRevokes({ ...none, revoked: 1, failed: 1, existedBefore: 2, notShownOwn: 1 })).toBe(
      'revoke-on-exit: 1 revoked, 0 already absent, 1 failed, 3 left in place (2 existed before the main step, 1 not shown to be its own)',
    );
  });

  it('the job that relies on grants it did not make says once that another run may remove them, naming a few', () => {
    const grants = ['111111111111', '222222222222', '333333333333', '444444444444'].map((target) => ({
      principal: 'alice',
      target,
      role: 'ReadOnlyAccess',
    }));
    const text = sharedGrantsNotice(grants)!;
    expect(text).toMatch(
      /^revoke-on-exit: 4 grants this step relies on \(alice → 111111111111 \/ ReadOnlyAccess; .* and 1 more\) were not made by it/,
    );
    expect(text).toContain('another run that made them may remove them with its own revoke-on-exit');
    expect(text).toContain('`concurrency:` group');
  });

  it('says nothing when the step made every grant it relies on', () => {
    expect(sharedGrantsNotice([])).toBeUndefined();
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

describe('what the main step says of a grant it found in place, and of its reliance on it', () => {
  const request = '00000000-0000-4000-8000-000000000001';

  it('registered: left in place by revoke-on-exit, and a sweep waits for this run', () => {
    expect(foundInPlaceNote({ status: 'SUCCEEDED', requestId: request })).toBe(
      `already in place; reliance registered for the sweep (request ${request}): revoke-on-exit leaves it in place, and a sweep waits for this run too`,
    );
  });

  it('sent and not ended, not registered, or none sent', () => {
    expect(foundInPlaceNote({ status: 'IN_PROGRESS', requestId: request })).toBe(
      `already in place; reliance sent for the sweep (request ${request}, not yet ended): revoke-on-exit leaves it in place`,
    );
    expect(foundInPlaceNote({ status: 'FAILED', failureReason: 'AccessDeniedException: no' })).toBe(
      'already in place; reliance not registered for the sweep (AccessDeniedException: no): revoke-on-exit leaves it in place',
    );
    expect(foundInPlaceNote(undefined)).toBe(
      'revoke-on-exit leaves it in place: it existed before this step',
    );
  });

  it('warns once of the relied-on grants whose reliance failed, naming a few and the first reason', () => {
    const failed = ['111111111111', '222222222222'].map((target) =>
      result({ target, before: 'present', reliance: { status: 'FAILED', failureReason: 'throttled' } }),
    );
    const registered = result({ target: '333333333333', reliance: { status: 'SUCCEEDED' } });
    const text = unregisteredRelianceWarning([...failed, registered])!;
    expect(text).toBe(
      'revoke-on-exit: this step found 2 grants already in place (alice → 111111111111 / Admin; alice → 222222222222 / Admin) and could not register its reliance on them (throttled): they stay, but a sweep, or the post step of the run that made them, may end them while this job runs. Put jobs that share a grant in one `concurrency:` group',
    );
    expect(unregisteredRelianceWarning([registered])).toBeUndefined();
  });
});

describe('a grant found in place that the step’s reliance made again (deleted since the read)', () => {
  const why =
    "it was deleted (request d, SUCCEEDED) after this step read it in place, and this step's reliance (request r) made it again";

  it('shown to be the step’s: its own create, which revoke-on-exit revokes', () => {
    expect(foundInPlaceNote({ status: 'SUCCEEDED', requestId: 'r', remade: { byStep: true, why } })).toBe(
      `${why}: it is this step's own create, and revoke-on-exit revokes it (only this job's post step does: a sweep never takes a reliance for a creation)`,
    );
  });

  it('not shown to be: left in place, and warned of once, with why, the fix and what nothing does', () => {
    const maybe = {
      byStep: false,
      why: 'it was deleted (request d, IN_PROGRESS) since this step read it in place',
    };
    expect(foundInPlaceNote({ status: 'SUCCEEDED', remade: maybe })).toBe(
      `${maybe.why}: revoke-on-exit leaves it in place, and the step warns`,
    );
    const remade = result({ before: 'present', reliance: { status: 'SUCCEEDED', remade: maybe } });
    const own = result({
      target: '222222222222',
      before: 'present',
      reliance: { status: 'SUCCEEDED', remade: { byStep: true, why } },
    });
    const plain = result({ target: '333333333333', before: 'present', reliance: { status: 'SUCCEEDED' } });
    expect(remadeRelianceWarning([remade, own, plain])).toBe(
      `revoke-on-exit: 1 grant this step found in place (alice → 111111111111 / Admin) may have been made again by its reliance (${maybe.why}), and nothing will end it automatically: the post step revokes only what it shows this step made, and a sweep never takes a reliance for a creation. Once every job that uses it has ended, check and remove it (\`operation: revoke\`, or \`aws sso-admin delete-account-assignment\`); put jobs that share a grant in one \`concurrency:\` group so that none ends it between another's read and its reliance`,
    );
    expect(remadeRelianceWarning([own, plain])).toBeUndefined();
  });
});

describe('the post step warns once about time-bound grants it could not remove yet', () => {
  it('names up to three grants with their end times, and counts the rest', () => {
    const grants = ['a', 'b', 'c', 'd'].map((principal) =>
      result({ principal, cloud: 'azure', expiresAt: '2026-11-23T12:00:00Z' }),
    );
    const text = leftToExpireWarning(grants)!;
    expect(text).toContain('could not remove 4 time-bound grants yet');
    expect(text).toContain('a → 111111111111 / Admin until 2026-11-23T12:00:00Z');
    expect(text).toContain('and 1 more');
    expect(text).not.toContain('d → ');
  });

  it('says nothing when every grant was removed', () => {
    expect(leftToExpireWarning([])).toBeUndefined();
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
    const [json] = JSON.parse(resultsJson([named, result({})])) as Record<string, unknown>[];
    expect(json).toMatchObject({ principal: 'g-123', roleName: 'ReadOnlyAccess', targetName: 'prod' });
    expect(json!.principalName).toBe('ops%0A::warning::pwned %23%23[add-mask]x');
    expect(resultsJson([named])).not.toContain('##[');
    expect(Object.keys(JSON.parse(resultsJson([result({})]))[0])).not.toContain('principalName');
    const [row] = summaryTable('assign', [named], false).rows;
    expect(row!.slice(0, 3)).toEqual([
      'ops%0A::warning::pwned %23%23[add-mask]x (g-123)',
      'prod (111111111111)',
      'ReadOnlyAccess (arn:aws:sso:::permissionSet/ssoins-1/ps-1)',
    ]);
  });
});
