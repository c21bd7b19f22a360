// The job summary of a reconcile (src/operations/reconcile/reconcile-summary.ts): what the section
// manages by tag, and a table of the permission sets' changes. The plan's rows as the log and the
// summary both show them are in ./reconcile-report.test.ts.
import { describe, expect, it } from '@jest/globals';
import { planReconcile } from '../../../src/core/plan/assignment-diff.js';
import { planSummaryHtml } from '../../../src/operations/reconcile/reconcile-summary.js';
import type { GrantResult } from '../../../src/core/grant-result.js';
import { SET_WORDS } from '../../../src/aws/permission-sets/defined-sets.js';
import { MEMBERSHIP_WORDS } from '../../../src/azure/group/reconcile.js';
import { rows as planRows } from '../../../src/operations/reconcile/reconcile-report.js';

const context = { header: { title: 't' }, manifest: 'access.yml', outcome: 'Applied.' };

/** The summary of a plan with no assignment changes and these results of a kind plan. */
const kindSummaryHtml = (
  mode: 'apply' | 'dry-run' | 'refused',
  kind: NonNullable<NonNullable<Parameters<typeof planSummaryHtml>[1]['results']>['sections']>[number],
  outcome?: string,
) =>
  planSummaryHtml(planReconcile([], []), {
    rows: planRows(planReconcile([], [])),
    ...context,
    ...(outcome ? { outcome } : {}),
    results: { mode, creates: [], deletes: [], sections: [kind] },
  });

describe('the summary names what the section manages by tag', () => {
  it('lists each tag form’s matches, as inert HTML', () => {
    const html = planSummaryHtml(planReconcile([], []), {
      rows: planRows(planReconcile([], [])),
      ...context,
      management: ['manages by `tag:team=platform` (manifest line 4): 1 permission set(s): <b>X</b> (arn)'],
    });
    expect(html).toContain(
      '<ul><li>manages by <code>tag:team=platform</code> (manifest line 4): 1 permission set(s): &lt;b&gt;X&lt;/b&gt; (arn)</li></ul>',
    );
  });

  it('says nothing of tags when the section manages none by tag', () => {
    expect(
      planSummaryHtml(planReconcile([], []), {
        rows: planRows(planReconcile([], [])),
        ...context,
        management: [],
      }),
    ).not.toContain('<ul>');
  });
});

describe("the summary's table of a reconcile's permission-set changes", () => {
  const setResult = (change: GrantResult['change'], more: Partial<GrantResult> = {}): GrantResult => ({
    cloud: 'aws',
    operation: change === 'provision' ? 'provision' : 'assign',
    principal: '',
    target: '',
    role: 'ReadOnly',
    status: 'SUCCEEDED',
    changed: true,
    before: 'present',
    after: 'present',
    change,
    durationMs: 0,
    ...more,
  });

  it('names each set, its change, a provisioning’s accounts and what it came to, every server text inert', () => {
    const html = kindSummaryHtml('apply', {
      words: SET_WORDS,
      results: [
        setResult('permission-set-update', { role: '<b>ReadOnly</b>' }),
        setResult('provision', {
          target: '111111111111,222222222222',
          status: 'FAILED',
          failureReason: 'failed in 222222222222: ::error::<i>denied</i>',
        }),
      ],
    });
    expect(html).toContain('<h4>Permission sets (2)</h4>');
    expect(html).toContain('<td>&lt;b&gt;ReadOnly&lt;/b&gt;</td><td>permission-set-update</td><td></td>');
    expect(html).toContain('<td>ReadOnly</td><td>provision</td><td>111111111111, 222222222222</td>');
    expect(html).toContain('FAILED: failed in 222222222222: ');
    expect(html).not.toContain('<b>ReadOnly');
    expect(html).not.toContain('<i>denied');
    expect(html).not.toMatch(/^::error::/m);
  });

  const updateShown = {
    change: 'update',
    name: 'ReadOnly',
    reach: 'reaches 1 account(s) (111111111111) and 1 principal(s) (group <b>Deployers</b>)',
    lines: [
      '~ update permission set ReadOnly (arn:aws:sso:::permissionSet/ssoins-1/ps-1)',
      '    inline-policy: changed',
      '      -     "Action": "s3:Get*",',
      '      +     "Action": "::error::<i>ec2</i>",',
    ],
  };
  const provisionShown = {
    change: 'provision',
    name: 'ReadOnly',
    reach: 'reaches 1 account(s) (111111111111) and 1 principal(s) (group Deployers)',
    lines: ['~ provision permission set ReadOnly to 1 account(s) not on its latest version: 111111111111'],
  };

  it('a dry run says what it would do to each set, with whom it reaches and its diff folded, not SUCCEEDED', () => {
    const html = kindSummaryHtml(
      'dry-run',
      {
        words: SET_WORDS,
        results: [setResult('permission-set-update'), setResult('provision')],
        shown: [updateShown, provisionShown],
      },
      'Dry run: nothing was written.',
    );
    expect(html).toContain('<h4>Permission sets (2)</h4>');
    expect(html).not.toContain('SUCCEEDED');
    expect(html).toContain(
      '<td>ReadOnly</td><td>would update</td><td>reaches 1 account(s) (111111111111) and 1 principal(s) (group &lt;b&gt;Deployers&lt;/b&gt;)</td>',
    );
    expect(html).toContain('<td>ReadOnly</td><td>would provision</td>');
    // The diff, as the log has it, folded: a reviewer opens it.
    expect(html).toMatch(/<details><summary>[^<]+<\/summary><pre>~ update permission set ReadOnly/);
    expect(html).toContain('      -     &quot;Action&quot;: &quot;s3:Get*&quot;,');
    expect(html).not.toContain('<i>ec2');
    expect(html).not.toMatch(/^::error::/m);
  });

  it('a refused plan says what it would have done to each set, and that it was not run', () => {
    const html = kindSummaryHtml(
      'refused',
      {
        words: SET_WORDS,
        results: [setResult('permission-set-delete')],
        shown: [
          {
            change: 'delete',
            name: 'Retired',
            reach: 'provisioned to 1 account(s) (222222222222) and 1 principal(s) (alice)',
            lines: ['- delete permission set Retired (arn:aws:sso:::permissionSet/ssoins-1/ps-2)'],
          },
        ],
      },
      'FAILED: the plan was refused.',
    );
    expect(html).toContain(
      '<td>Retired</td><td>would delete; FAILED: not run, the plan was refused</td><td>provisioned to 1 account(s) (222222222222) and 1 principal(s) (alice)</td>',
    );
  });

  it('a long diff is cut in the summary and says the log has it whole', () => {
    const long = {
      ...updateShown,
      lines: Array.from({ length: 400 }, (_, i) => `      + line ${i} of the policy`),
    };
    const html = kindSummaryHtml('dry-run', { words: SET_WORDS, results: [], shown: [long] });
    expect(html).toContain('line 0 of the policy');
    expect(html).not.toContain('line 399 of the policy');
    expect(html).toMatch(/more characters: the log shows it whole/);
  });

  it('a kind plan of PIM for groups memberships is headed and columned in its own words, never as permission sets', () => {
    const membership = setResult('create', {
      cloud: 'azure',
      principal: 'alice',
      role: 'member',
      target: 'group: <b>admins</b>',
      assignmentType: 'eligible',
    });
    const html = kindSummaryHtml('apply', { words: MEMBERSHIP_WORDS, results: [membership] });
    expect(html).toContain('<h4>PIM for groups memberships (1)</h4>');
    expect(html).toContain('<th>membership</th><th>change</th><th>group</th><th>result</th>');
    expect(html).toContain(
      '<td>alice as eligible member</td><td>create</td><td>group: &lt;b&gt;admins&lt;/b&gt;</td><td>SUCCEEDED</td>',
    );
    expect(html).not.toMatch(/permission set/i);
  });

  it('has no such table when no set changed', () => {
    expect(
      planSummaryHtml(planReconcile([], []), { ...context, rows: planRows(planReconcile([], [])) }),
    ).not.toContain('Permission sets');
  });
});
