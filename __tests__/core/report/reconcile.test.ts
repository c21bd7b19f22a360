import { describe, expect, it } from '@jest/globals';
import { awsAssignmentKey, planReconcile } from '../../../src/core/plan/reconcile.js';
import { forkPlanSkipped, planLines, planSummaryHtml } from '../../../src/core/report/reconcile.js';

const parts = (principalId: string) => ({
  principalId,
  principalType: 'GROUP',
  roleId: 'R',
  targetId: '111111111111',
  target: '111111111111',
});

describe("a fork's pull request gets no OIDC token", () => {
  it("skips the plan of a fork's pull request (no token endpoint) only in a dry run that signs in with a token", () => {
    expect(forkPlanSkipped('pull_request', true, undefined, true)).toMatch(
      /the plan against the cloud is skipped/,
    );
    expect(forkPlanSkipped('pull_request', true, 'https://token', true)).toBeUndefined();
    expect(forkPlanSkipped('push', true, undefined, true)).toBeUndefined();
    expect(forkPlanSkipped('pull_request', true, undefined, false)).toBeUndefined();
    // Skipped on any event that gets a plan only; on one that writes, no token is a set-up error.
    expect(forkPlanSkipped('pull_request_review', true, undefined, true)).toMatch(/skipped/);
    expect(forkPlanSkipped('schedule', true, undefined, true)).toBeUndefined();
  });
});

describe('the plan as the log and the job summary show it', () => {
  const plan = planReconcile(
    [
      {
        ...parts('new'),
        key: awsAssignmentKey(parts('new')),
        written: { principal: '<b>Deployers</b>', role: 'R', target: '111111111111' },
        line: 7,
        managed: true,
        settings: undefined,
      },
    ],
    [
      {
        ...parts('old'),
        key: awsAssignmentKey(parts('old')),
        managed: true,
        shown: { principal: 'old', role: 'R', target: '111111111111' },
      },
    ],
  );

  it('logs the read, the counts and each change with its manifest line', () => {
    const lines = planLines(plan, 'by place', 12, 340);
    expect(lines[0]).toBe('read: by place: 12 call(s) in 340 ms');
    expect(lines[1]).toMatch(/^plan: 1 to create, 1 to delete, 0 unchanged, 0 unmanaged/);
    expect(lines).toContain('  create: group <b>Deployers</b> / R / 111111111111 (manifest line 7)');
  });

  it('shows the diff as a table, every value escaped', () => {
    const html = planSummaryHtml(plan, {
      title: 't',
      manifest: 'm.yml',
      readStrategy: 's',
      readCalls: 1,
      outcome: 'Applied.',
    });
    expect(html).toContain('<td>+ create</td><td>group &lt;b&gt;Deployers&lt;/b&gt;</td>');
    expect(html).toContain('<td>− delete</td><td>group old</td>');
    expect(html).not.toContain('<b>Deployers');
  });
});

describe('the summary names what the section manages by tag', () => {
  const context = {
    title: 't',
    manifest: 'access.yml',
    readStrategy: 's',
    readCalls: 1,
    outcome: 'Applied.',
  };
  it('lists each tag form’s matches, as inert HTML', () => {
    const html = planSummaryHtml(planReconcile([], []), {
      ...context,
      ownership: ['manages by `tag:team=platform` (manifest line 4): 1 permission set(s): <b>X</b> (arn)'],
    });
    expect(html).toContain(
      '<ul><li>manages by <code>tag:team=platform</code> (manifest line 4): 1 permission set(s): &lt;b&gt;X&lt;/b&gt; (arn)</li></ul>',
    );
  });

  it('says nothing of tags when the section manages none by tag', () => {
    expect(planSummaryHtml(planReconcile([], []), { ...context, ownership: [] })).not.toContain('<ul>');
  });
});
