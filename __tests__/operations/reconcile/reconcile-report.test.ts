import { describe, expect, it } from '@jest/globals';
import { planReconcile } from '../../../src/core/plan/assignment-diff.js';
import { assignmentKey, keyedAs } from '../../../src/core/kinds/index.js';
import { forkPlanSkipped } from '../../../src/core/check/events.js';
import { planLines, rows as planRows } from '../../../src/operations/reconcile/reconcile-report.js';
import {
  planSummaryHtml,
  SUMMARY_CONDITION_CHARS,
} from '../../../src/operations/reconcile/reconcile-summary.js';
import type { GrantResult } from '../../../src/core/grant-result.js';

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
        kind: 'aws-account-assignment' as const,
        key: assignmentKey('aws-account-assignment', parts('new')),
        written: { principal: '<b>Deployers</b>', role: 'R', target: '111111111111' },
        line: 7,
        managed: true,
        settings: undefined,
      },
    ],
    [
      {
        ...parts('old'),
        kind: 'aws-account-assignment' as const,
        key: assignmentKey('aws-account-assignment', parts('old')),
        managed: true,
        shown: { principal: 'old', role: 'R', target: '111111111111' },
      },
    ],
  );

  it('logs the read, the counts and each change with its manifest line', () => {
    const lines = planLines(plan, planRows(plan), 'by place', 12, 340);
    expect(lines[0]).toBe('read: by place: 12 call(s) in 340 ms');
    expect(lines[1]).toMatch(/^plan: 1 to create, 1 to delete, 0 unchanged, 0 unmanaged/);
    expect(lines).toContain('  create: group <b>Deployers</b> / R / 111111111111 (manifest line 7)');
  });

  it('shows the diff deletes first, every value escaped', () => {
    const html = planSummaryHtml(plan, {
      rows: planRows(plan),
      header: { title: 't' },
      manifest: 'm.yml',
      outcome: 'Applied.',
    });
    expect(html).toMatch(/<h4>Deletes \(1\)<\/h4>\n<table>.*<td>group old<\/td>.*\n<h4>Creates \(1\)<\/h4>/);
    expect(html).toContain('<td>group &lt;b&gt;Deployers&lt;/b&gt;</td>');
    expect(html).not.toContain('<b>Deployers');
  });
});

describe('a plan line gives the kind where it is not its cloud’s plain one', () => {
  const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg';
  const azure = (principalId: string) => ({
    principalId,
    principalType: 'User',
    roleId: 'Reader',
    targetId: SCOPE,
    target: SCOPE,
  });
  const plan = planReconcile(
    [
      {
        ...keyedAs('azure-pim-eligible', azure('carol')),
        written: { principal: 'carol', role: 'Reader', target: SCOPE },
        line: 4,
        managed: true,
        settings: undefined,
      },
      {
        ...keyedAs('azure-role-assignment', azure('dave')),
        written: { principal: 'dave', role: 'Reader', target: SCOPE },
        line: 5,
        managed: true,
        settings: undefined,
      },
    ],
    [
      {
        ...keyedAs('azure-pim-eligible', azure('erin')),
        managed: true,
        shown: { principal: 'erin', role: 'Reader', target: SCOPE },
      },
    ],
  );

  it('in the log: an eligibility says `eligible`, a plain role assignment says nothing more', () => {
    const lines = planLines(plan, planRows(plan), 'by scope', 2, 5);
    expect(lines).toContain(`  create (eligible): user carol / Reader / ${SCOPE} (manifest line 4)`);
    expect(lines).toContain(`  create: user dave / Reader / ${SCOPE} (manifest line 5)`);
    expect(lines).toContain(`  delete (eligible): user erin / Reader / ${SCOPE}`);
  });

  it('in the summary: a kind column where a row of the section has a kind of its own', () => {
    const html = planSummaryHtml(plan, {
      rows: planRows(plan),
      header: { title: 't' },
      manifest: 'm.yml',
      outcome: 'Planned.',
    });
    expect(html).toMatch(/<h4>Creates \(2\)<\/h4>\n<table><tr><th>kind<\/th>/);
    expect(html).toContain('<td>eligible</td><td>user carol</td>');
    expect(html).toContain('<td></td><td>user dave</td>');
    expect(html).toMatch(
      /<h4>Deletes \(1\)<\/h4>\n<table><tr><th>kind<\/th>.*<td>eligible<\/td><td>user erin<\/td>/,
    );
  });

  it('a plan of plain kinds alone has no kind column', () => {
    const plain = planReconcile(
      [
        {
          ...keyedAs('azure-role-assignment', azure('dave')),
          written: { principal: 'dave', role: 'Reader', target: SCOPE },
          line: 5,
          managed: true,
          settings: undefined,
        },
      ],
      [],
    );
    const html = planSummaryHtml(plain, {
      rows: planRows(plain),
      header: { title: 't' },
      manifest: 'm.yml',
      outcome: 'Planned.',
    });
    expect(html).not.toContain('<th>kind</th>');
  });
});

describe('an update says what it changes: the condition as read → the file’s, each inert', () => {
  const SCOPE = '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14/resourceGroups/rg-app';
  const azureParts = {
    principalId: 'g1',
    principalType: 'Group',
    roleId: 'R',
    targetId: SCOPE,
    target: SCOPE,
  };
  // Text a server or a file could hold: markup, a backtick that would end a code span, workflow commands.
  const HOSTILE = "@Resource[x] StringEquals '</code><script>x</script>`::error::pwned##[warning]'";
  const planOf = (from: string | undefined, to: string | undefined) =>
    planReconcile(
      [
        {
          ...azureParts,
          kind: 'azure-role-assignment' as const,
          key: assignmentKey('azure-role-assignment', azureParts),
          written: { principal: 'g1', role: 'Reader', target: SCOPE },
          line: 9,
          managed: true,
          settings: undefined,
          ...(to ? { condition: { text: to, version: '2.0' } } : {}),
        },
      ],
      [
        {
          ...azureParts,
          kind: 'azure-role-assignment' as const,
          key: assignmentKey('azure-role-assignment', azureParts),
          managed: true,
          shown: { principal: 'g1', role: 'Reader', target: SCOPE },
          ...(from ? { condition: { text: from, version: '2.0' } } : {}),
        },
      ],
    );
  const context = { header: { title: 't' }, manifest: 'access.yml', outcome: 'Dry run.' };

  it('the log counts the update and shows its row with the change', () => {
    const updated = planOf(undefined, "@Resource[x] StringEquals 'a'");
    const lines = planLines(updated, planRows(updated), 's', 1, 2);
    expect(lines[1]).toBe(
      'plan: 0 to create, 0 to delete, 1 to update, 0 unchanged, 0 unmanaged (listed, never deleted)',
    );
    expect(lines[2]).toBe(
      `  update: group g1 / Reader / ${SCOPE} (manifest line 9): condition: none → \`@Resource[x] StringEquals 'a'\``,
    );
  });

  it('the summary shows each condition escaped whole in its own code span, whatever it holds', () => {
    const html = planSummaryHtml(planOf(HOSTILE, undefined), {
      ...context,
      rows: planRows(planOf(HOSTILE, undefined)),
    });
    expect(html).toContain('1 to update');
    expect(html).toMatch(/<h4>Updates \(1\)<\/h4>\n<table>.*<td>group g1<\/td>/);
    expect(html).toContain(
      '<code>@Resource[x] StringEquals &#39;&lt;/code&gt;&lt;script&gt;x&lt;/script&gt;`::error::pwned%23%23[warning]&#39;</code> → none; would update',
    );
    expect(html).not.toMatch(/<script>|<\/code><script|##\[/);
  });

  it('a long condition is cut in the summary, and says the log has it whole', () => {
    const long = `@Resource[x] StringEquals '${'a'.repeat(3000)}'`;
    const html = planSummaryHtml(planOf(undefined, long), {
      ...context,
      rows: planRows(planOf(undefined, long)),
    });
    expect(html).toContain(`<code>${long.slice(0, SUMMARY_CONDITION_CHARS).replace(/'/g, '&#39;')}</code>`);
    expect(html).toContain(
      `(${long.length - SUMMARY_CONDITION_CHARS} more characters: the log shows it whole)`,
    );
    expect(planLines(planOf(undefined, long), planRows(planOf(undefined, long)), 's', 1, 2)[2]).toContain(
      long,
    );
  });

  it('after an apply the row says updated, or FAILED with the state the update left', () => {
    const result = (over: Partial<GrantResult>): GrantResult => ({
      cloud: 'azure',
      operation: 'assign',
      principal: 'g1',
      target: SCOPE,
      role: 'Reader',
      status: 'SUCCEEDED',
      changed: true,
      before: 'present',
      after: 'present',
      change: 'update',
      durationMs: 1,
      ...over,
    });
    const plan = planOf(undefined, "@Resource[x] StringEquals 'a'");
    const applied = (r: GrantResult) =>
      planSummaryHtml(plan, {
        rows: planRows(plan),
        ...context,
        results: { mode: 'apply', creates: [], deletes: [], updates: [r] },
      });
    expect(applied(result({}))).toContain('</code>; updated</td>');
    expect(
      applied(
        result({
          status: 'FAILED',
          failureReason: 'refused; the assignment is unchanged: it still has condition: none',
        }),
      ),
    ).toContain('</code>; FAILED: refused; the assignment is unchanged: it still has condition: none</td>');
  });
});

describe('a claimed assignment is listed with its claim: the run’s page or who made it, and until when', () => {
  const current = {
    ...parts('alice'),
    kind: 'aws-account-assignment' as const,
    key: assignmentKey('aws-account-assignment', parts('alice')),
    managed: true,
    shown: { principal: 'alice', role: 'R', target: '111111111111' },
  };
  const plan = {
    ...planReconcile([], []),
    claimed: [
      {
        ...current,
        claim: {
          kind: 'requested' as const,
          until: Date.parse('2026-11-25T11:00:00Z'),
          run: { repositoryId: '42', runId: '7', attempt: '1' },
          reason: 'r',
        },
      },
    ],
  };
  const context = { repository: 'octo-org/octo-repo', repositoryId: '42', serverUrl: 'https://github.com' };

  it('in the log, counted apart from the deletes', () => {
    expect(planLines(plan, planRows(plan, context), 'by place', 3, 10)).toEqual([
      'read: by place: 3 call(s) in 10 ms',
      'plan: 0 to create, 0 to delete, 0 unchanged, 0 unmanaged (listed, never deleted), 1 claimed (left in place while its claim is live)',
      '  claimed (left in place): group alice / R / 111111111111: requested, https://github.com/octo-org/octo-repo/actions/runs/7/attempts/1, until 2026-11-25T11:00:00.000Z',
    ]);
  });

  it('names the job GitHub answered for its run, a workflow’s name inert whatever it holds', () => {
    const job = { workflow: 'deploy</td><script>"', runNumber: 42, actor: 'octocat' };
    const withJob = {
      ...plan,
      claimed: plan.claimed.map((c) => ({ ...c, claim: { ...c.claim, kind: 'ephemeral' as const, job } })),
    };
    expect(planLines(withJob, planRows(withJob, context), 'by place', 3, 10)[2]).toContain(
      ': ephemeral, job "deploy</td><script>\\"" run 42 by octocat, https://github.com/',
    );
    const html = planSummaryHtml(withJob, {
      rows: planRows(withJob),
      header: { title: 'cloud-access: aws reconcile', run: context },
      manifest: 'access.yml',
      outcome: 'SUCCEEDED',
    });
    expect(html).toContain('job &quot;deploy&lt;/td&gt;&lt;script&gt;\\&quot;&quot; run 42 by octocat');
    expect(html).not.toContain('<script>');
  });

  it('in the summary, in a section of its own, with its claim', () => {
    const html = planSummaryHtml(plan, {
      rows: planRows(plan, context),
      header: { title: 'cloud-access: aws reconcile', run: context },
      manifest: 'access.yml',
      outcome: 'SUCCEEDED',
    });
    expect(html).toMatch(/<h4>Claimed, left in place \(1\)<\/h4>/);
    expect(html).toMatch(
      /left in place: requested, https:\/\/github\.com\/octo-org\/octo-repo\/actions\/runs\/7\/attempts\/1, until 2026-11-25T11:00:00\.000Z/,
    );
  });
});
