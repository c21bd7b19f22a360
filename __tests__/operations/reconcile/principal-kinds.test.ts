// A principal's name is whatever its owner chose: an Entra group (or an Identity Store group) may
// be called exactly like a user's UPN. Every row a person reads says what the principal is, from
// its type (or what the directory said), never from its name, so that group never reads as the
// user.
import { describe, expect, it } from '@jest/globals';
import { planReconcile, withNames } from '../../../src/core/plan/assignment-diff.js';
import { assignmentKey } from '../../../src/core/kinds/index.js';
import { planLines, rows as planRows } from '../../../src/operations/reconcile/reconcile-report.js';
import { planSummaryHtml } from '../../../src/operations/reconcile/reconcile-summary.js';
import { grantLogTitle, resultsOutput } from '../../../src/core/output/results.js';
import { inertJson } from '../../../src/core/inert.js';
import { failuresOf } from '../../../src/core/output/grants-ending.js';
import { summaryTable } from '../../../src/core/output/summary-table.js';
import { named, namedPrincipal, principalKindOf } from '../../../src/core/shown-names.js';
import type { AzureResolvedIds } from '../../../src/core/types.js';
import type { GrantResult } from '../../../src/core/grant-result.js';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';

const UPN = 'alice@octoorg.onmicrosoft.com';
const GROUP = 'fc91c783-51e9-4997-b801-33935b533c9a';
const SP = '5b1f2c9e-8a1d-4a51-9f43-2c6a1e0b7d11';
const USER = 'c0d381b2-272e-4b83-8260-ccff1693de48';
const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001';
const scope = parseAzureScope(SUB) as AzureScope;

const desired = (principalId: string, principalType: string, written: string) => {
  const parts = { principalId, principalType, roleId: 'Owner', targetId: SUB, target: SUB };
  return {
    ...parts,
    kind: 'azure-role-assignment' as const,
    key: assignmentKey('azure-role-assignment', parts),
    written: { principal: written, role: 'Owner', target: SUB },
    line: 5,
    managed: true,
    settings: undefined,
  };
};

const azureResult = (
  principalId: string,
  principalType: AzureResolvedIds['principalType'],
  o: Partial<GrantResult> = {},
): GrantResult => ({
  cloud: 'azure',
  operation: 'assign',
  principal: principalId,
  target: SUB,
  role: 'Owner',
  status: 'SUCCEEDED',
  changed: false,
  before: 'absent',
  after: 'absent',
  change: 'create',
  durationMs: 80,
  resolved: {
    cloud: 'azure',
    principalId,
    scope,
    roleId: 'Owner',
    ...(principalType ? { principalType } : {}),
  },
  ...o,
});

describe('a plan row says what kind of principal gains access', () => {
  const plan = withNames(
    planReconcile(
      [
        desired(GROUP, 'Group', GROUP),
        desired(SP, 'ServicePrincipal', 'sp:deploy-bot'),
        desired(USER, 'User', UPN),
      ],
      [],
    ),
    (r) => ({
      principal: r.principalId === GROUP ? UPN : r.principalId === SP ? 'deploy-bot' : UPN,
    }),
  );
  const rows = planLines(plan, planRows(plan), 'r', 1, 1).filter((l) => l.includes('create:'));

  it("a group named exactly like a user's UPN is shown as a group, and the user as a user", () => {
    expect(rows).toContain(`  create: group ${UPN} (${GROUP}) / Owner / ${SUB} (manifest line 5)`);
    expect(rows).toContain(`  create: user ${UPN} / Owner / ${SUB} (manifest line 5)`);
  });

  it('a service principal is shown as one', () => {
    expect(rows).toContain(
      `  create: service principal deploy-bot (sp:deploy-bot) / Owner / ${SUB} (manifest line 5)`,
    );
  });

  it("the summary's principal cell starts with the kind too", () => {
    const html = planSummaryHtml(plan, {
      rows: planRows(plan),
      header: { title: 't' },
      manifest: 'm',
      outcome: 'o',
    });
    expect(html).toContain(`<tr><td>group ${UPN} (${GROUP})</td>`);
    expect(html).toContain(`<tr><td>user ${UPN}</td>`);
  });

  it("what the directory says a principal is outranks the type it is written as: a group's ID written as a User shows as a group", () => {
    const written = withNames(planReconcile([desired(GROUP, 'User', GROUP)], []), () => ({
      principal: UPN,
      principalKind: 'group',
    }));
    expect(planLines(written, planRows(written), 'r', 1, 1)).toContain(
      `  create: group ${UPN} (${GROUP}) / Owner / ${SUB} (manifest line 5)`,
    );
  });
});

describe('a grant names its principal with its kind in the log, the errors and the summary', () => {
  const lookalike = azureResult(GROUP, 'Group', { principalName: UPN });

  it("a group named like a user's UPN is a group in its log group's title", () => {
    expect(grantLogTitle(lookalike, true)).toBe(
      `+ assign group ${UPN} (${GROUP}) → ${SUB} / Owner: would create (dry run, 80 ms)`,
    );
  });

  it('the kind the directory gave a reconcile row outranks the written type', () => {
    const title = grantLogTitle(
      azureResult(GROUP, 'User', { principalName: UPN, principalKind: 'group' }),
      true,
    );
    expect(title).toContain(`assign group ${UPN} (${GROUP}) →`);
  });

  it('a service principal and a user in the summary table and in a failure', () => {
    const sp = azureResult(SP, 'ServicePrincipal', { principalName: 'deploy-bot' });
    const user = azureResult(USER, 'User', { principalName: UPN, status: 'FAILED', failureReason: 'denied' });
    expect(summaryTable('assign', [sp, user], true).rows.map((r) => r[0])).toEqual([
      `service principal deploy-bot (${SP})`,
      `user ${UPN} (${USER})`,
    ]);
    expect(failuresOf([user], { operation: 'assign', wait: true }).annotations?.[0]?.message).toBe(
      `assign user ${UPN} (${USER}) → ${SUB} / Owner FAILED: denied`,
    );
  });

  it('results carry the type the assignment is written with, on Azure as on AWS', () => {
    const aws: GrantResult = {
      ...azureResult(GROUP, undefined),
      cloud: 'aws',
      resolved: { cloud: 'aws', principalId: 'g-1', principalType: 'GROUP', accountId: '1', roleId: 'ps' },
    };
    const entries = JSON.parse(
      inertJson(resultsOutput([lookalike, aws, azureResult(USER, undefined)])),
    ) as Record<string, unknown>[];
    expect(entries.map((e) => e.principalType)).toEqual(['Group', 'GROUP', undefined]);
    expect(entries[0]).toMatchObject({ principal: GROUP, principalName: UPN });
  });

  it("an Azure object ID's unchecked principal-type is not shown as its kind, in the log, the summary or a failure; results still say what it is written as", () => {
    const claimed = azureResult(GROUP, 'User', {
      resolved: {
        cloud: 'azure',
        principalId: GROUP,
        scope,
        roleId: 'Owner',
        principalType: 'User',
        principalTypeUnchecked: true,
      },
      status: 'FAILED',
      failureReason: 'UnmatchedPrincipalType',
    });
    expect(grantLogTitle(claimed, false)).toMatch(new RegExp(`^✗ assign ${GROUP} →`));
    expect(summaryTable('assign', [claimed], true).rows.map((r) => r[0])).toEqual([GROUP]);
    expect(failuresOf([claimed], { operation: 'assign', wait: true }).annotations?.[0]?.message).toBe(
      `assign ${GROUP} → ${SUB} / Owner FAILED: UnmatchedPrincipalType`,
    );
    expect(JSON.parse(inertJson(resultsOutput([claimed])))[0]).toMatchObject({ principalType: 'User' });
    // What the directory said outranks it still.
    expect(grantLogTitle({ ...claimed, principalKind: 'group' }, false)).toContain(`assign group ${GROUP} →`);
  });

  it('a principal whose type is not known is shown without a kind', () => {
    expect(grantLogTitle(azureResult(USER, undefined), false)).toMatch(new RegExp(`^✓ assign ${USER} →`));
  });
});

describe('the kind words', () => {
  it("map AWS's and ARM's principal types, and nothing else", () => {
    expect(
      ['USER', 'GROUP', 'User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device'].map(principalKindOf),
    ).toEqual(['user', 'group', 'user', 'group', 'service principal', 'foreign group', 'device']);
    expect(principalKindOf('constructor')).toBeUndefined();
    expect(principalKindOf('')).toBeUndefined();
  });

  it('a name that starts like a kind is quoted, so it cannot pass for one where the kind is not known', () => {
    expect(named(USER, 'group platform-admins')).toBe(`"group platform-admins" (${USER})`);
    expect(namedPrincipal(USER, 'Service Principal deploy', 'user')).toBe(
      `user "Service Principal deploy" (${USER})`,
    );
    expect(named(USER, 'groupies')).toBe(`groupies (${USER})`);
  });

  it('provision has no principal, and no kind is shown for it', () => {
    expect(namedPrincipal('', undefined, 'user')).toBe('');
  });
});
