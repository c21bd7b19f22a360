// What a grant's log line and summary row say of its kind and of its end: an Azure eligibility says
// "eligible" where an active assignment says nothing more; a revoke Azure PIM would not make yet
// (an assignment younger than 5 minutes) says it was not removed and when Azure ends it, with no
// tick and no SUCCEEDED. Pure.
import { describe, expect, it } from '@jest/globals';
import { describeOutcome, grantLogTitle } from '../../../src/core/output/results.js';
import { failuresOf } from '../../../src/core/output/grants-ending.js';
import { summaryTable } from '../../../src/core/output/summary-table.js';
import type { GrantResult } from '../../../src/core/grant-result.js';

const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000001';
const result = (o: Partial<GrantResult> = {}): GrantResult => ({
  cloud: 'azure',
  operation: 'assign',
  principal: 'alice@contoso.com',
  target: SCOPE,
  role: 'Reader',
  status: 'SUCCEEDED',
  changed: true,
  before: 'absent',
  after: 'present',
  change: 'create',
  durationMs: 1200,
  ...o,
});
const ENDS = '2030-01-01T10:05:00Z';
/** The post step's revoke that met PIM's 5-minute floor until `post-timeout-seconds` ran out. */
const notRemovedYet = result({
  operation: 'revoke',
  changed: false,
  before: 'present',
  after: 'present',
  change: 'delete',
  durationMs: 288_000,
  endsOnItsOwn: true,
  expiresAt: ENDS,
});

describe('an eligible grant', () => {
  it("says `eligible` in its log line, and an active one's line says nothing more", () => {
    expect(grantLogTitle(result({ assignmentType: 'eligible' }), false)).toBe(
      `✓ assign eligible alice@contoso.com → ${SCOPE} / Reader: SUCCEEDED (created, 1.2 s)`,
    );
    expect(grantLogTitle(result(), false)).toBe(
      `✓ assign alice@contoso.com → ${SCOPE} / Reader: SUCCEEDED (created, 1.2 s)`,
    );
  });

  it('says `eligible` in its revoke and dry-run lines too', () => {
    const revoked = result({
      operation: 'revoke',
      assignmentType: 'eligible',
      before: 'present',
      after: 'absent',
      change: 'delete',
    });
    expect(grantLogTitle(revoked, false)).toMatch(/^✓ revoke eligible alice@contoso\.com → /);
    expect(grantLogTitle(result({ assignmentType: 'eligible' }), true)).toMatch(/^\+ assign eligible /);
  });
});

describe('a revoke Azure PIM refused until the deadline (its 5-minute floor)', () => {
  it('says it was not removed and when Azure ends it, with no tick and no SUCCEEDED', () => {
    const title = grantLogTitle(notRemovedYet, false);
    expect(title).toBe(
      `! revoke alice@contoso.com → ${SCOPE} / Reader: NOT REMOVED (Azure PIM removes nothing within 5 minutes of its start; Azure ends it at ${ENDS}, 288.0 s)`,
    );
    expect(title).not.toMatch(/✓|SUCCEEDED/);
  });

  it('says the same in its summary row, whose status is not SUCCEEDED', () => {
    const [row] = summaryTable('revoke', [notRemovedYet], false).rows;
    expect(row).toContain('present → present (not removed: Azure ends it at 2030-01-01T10:05:00Z)');
    expect(row).toContain('NOT REMOVED: Azure ends it at 2030-01-01T10:05:00Z');
    expect(row).not.toContain('SUCCEEDED');
  });

  it('says its end time is unknown rather than invent one', () => {
    const { expiresAt: _none, ...unknownEnd } = notRemovedYet;
    expect(describeOutcome(unknownEnd, false)).toBe('not removed: Azure ends it at its end time');
  });
});

describe("a defined permission set's change", () => {
  // As a reconcile's rows of a set change carry it: no principal, the set as the role.
  const setChange = (change: GrantResult['change'], target = '') =>
    result({ cloud: 'aws', principal: '', target, role: 'Deployer', change, durationMs: 40 });

  it('says what happened to which set in its log line, with no empty principal or target', () => {
    expect(grantLogTitle(setChange('permission-set-create'), false)).toBe(
      '✓ create permission set Deployer: SUCCEEDED (permission set created, 40 ms)',
    );
    expect(grantLogTitle(setChange('permission-set-update', '111111111111,222222222222'), false)).toBe(
      '✓ update permission set Deployer: SUCCEEDED (permission set updated, 40 ms)',
    );
  });

  it('says what it would do in a dry run, in words', () => {
    expect(grantLogTitle(setChange('permission-set-create'), true)).toBe(
      '+ create permission set Deployer: would create (dry run, 40 ms)',
    );
    expect(grantLogTitle(setChange('permission-set-delete'), true)).toBe(
      '− delete permission set Deployer: would delete (dry run, 40 ms)',
    );
  });

  it('names the set in the error of a change that failed', () => {
    const failed = {
      ...setChange('permission-set-create'),
      status: 'FAILED' as const,
      failureReason: 'taken',
    };
    expect(failuresOf([failed], { operation: 'assign', wait: true }).annotations).toEqual([
      { level: 'error', message: 'create permission set Deployer FAILED: taken' },
    ]);
  });
});
