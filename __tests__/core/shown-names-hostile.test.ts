// A name the cloud sends is chosen by whoever owns the object: anyone who may create a group can
// call it `alice@contoso.com (<alice's object ID>)`. Shown beside its own ID as `name (id)`, such
// a name must never make a row read as another principal's change, nor fake a column or outcome
// of the row.
import { describe, expect, it } from '@jest/globals';
import { planReconcile, withNames } from '../../src/core/plan/assignment-diff.js';
import { assignmentKey } from '../../src/core/kinds/index.js';
import { planLines, rows as planRows } from '../../src/operations/reconcile/reconcile-report.js';
import { grantLogTitle } from '../../src/core/output/results.js';
import { named } from '../../src/core/shown-names.js';
import type { GrantResult } from '../../src/core/grant-result.js';

const ALICE = 'c0d381b2-272e-4b83-8260-ccff1693de48';
const GROUP = 'fc91c783-51e9-4997-b801-33935b533c9a';
const spoof = `alice@contoso.com (${ALICE})`;

const parts = (principalId: string, principalType: string) => ({
  principalId,
  principalType,
  roleId: 'Owner',
  targetId: '/subscriptions/s',
  target: '/subscriptions/s',
});

describe('a name that carries the layout of a shown row', () => {
  it("a group named like a user followed by that user's ID is shown quoted, so the row's only bare ID is the group's", () => {
    const plan = withNames(
      planReconcile(
        [
          {
            ...parts(GROUP, 'Group'),
            kind: 'aws-account-assignment' as const,
            key: assignmentKey('aws-account-assignment', parts(GROUP, 'Group')),
            written: { principal: GROUP, role: 'Owner', target: '/subscriptions/s' },
            line: 4,
            managed: true,
            settings: undefined,
          },
        ],
        [],
      ),
      () => ({ principal: spoof }),
    );
    const [row] = planLines(plan, planRows(plan), 'r', 1, 1).filter((l) => l.includes('create:'));
    expect(row).toBe(`  create: group "${spoof}" (${GROUP}) / Owner / /subscriptions/s (manifest line 4)`);
    expect(row).not.toContain(`alice@contoso.com (${ALICE}) (`);
  });

  it("a name holding an arrow or a slash cannot fake the log title's target or role", () => {
    const result: GrantResult = {
      cloud: 'azure',
      operation: 'assign',
      principal: GROUP,
      principalName: 'bob → /subscriptions/dev / Reader: would create (dry run, 1 ms)\u0020',
      target: '/subscriptions/prod',
      role: 'Owner',
      status: 'SUCCEEDED',
      requestId: null,
      failureReason: null,
      existed: false,
      exists: false,
      changed: false,
      action: 'create',
      change: 'create',
      before: 'absent',
      durationMs: 1,
    } as unknown as GrantResult;
    const title = grantLogTitle(result, true);
    expect(
      title.startsWith(
        `+ assign "bob → /subscriptions/dev / Reader: would create (dry run, 1 ms) " (${GROUP}) → /subscriptions/prod / Owner:`,
      ),
    ).toBe(true);
  });

  it('an ordinary name is shown as it is, and a quote inside a quoted name cannot close it', () => {
    expect(named('g-1', 'Deployers')).toBe('Deployers (g-1)');
    expect(named('g-1', 'platform deployers')).toBe('platform deployers (g-1)');
    expect(named('g-1', 'x" (u-2) "y')).toBe('"x\\" (u-2) \\"y" (g-1)');
  });
});
