import { describe, expect, it } from '@jest/globals';
import { PLAN_EVENTS, WRITE_EVENTS, writesRefusedFor } from '../../../src/core/check/events.js';

describe('writes run only on events that run reviewed code of the repository', () => {
  it.each(['push', 'schedule', 'workflow_dispatch', 'repository_dispatch', 'release'])(
    '`%s` may write',
    (event) => {
      expect(writesRefusedFor(event)).toBeUndefined();
    },
  );

  it('the events that may write are exactly those five, each with why', () => {
    expect(Object.keys(WRITE_EVENTS).sort()).toEqual(
      ['push', 'release', 'repository_dispatch', 'schedule', 'workflow_dispatch'].sort(),
    );
    for (const why of Object.values(WRITE_EVENTS)) expect(why).not.toBe('');
  });

  it('the events on which a reconcile only plans, and passes, are a pull request’s and a merge queue’s checks, and neither writes', () => {
    expect(Object.keys(PLAN_EVENTS).sort()).toEqual(['merge_group', 'pull_request']);
    for (const event of Object.keys(PLAN_EVENTS)) expect(writesRefusedFor(event)).toBeDefined();
  });

  it.each([
    // Unmerged code.
    'pull_request',
    'pull_request_review',
    'pull_request_review_comment',
    'merge_group',
    // How a workflow acts on a pull request.
    'pull_request_target',
    'issue_comment',
    'workflow_run',
    'check_run',
    'check_suite',
    // Any commit, a pull request's head included.
    'deployment',
    'deployment_status',
    // Started by outsiders, or by nobody in particular.
    'issues',
    'watch',
    'fork',
    'registry_package',
    'dynamic',
    // Events GitHub adds later, and names that only look like an allowed one.
    'a_future_event',
    'Push',
    'push ',
    'constructor',
    'toString',
    '__proto__',
  ])('`%s` gets the plan only: the refusal names the event and `dry-run: true`', (event) => {
    const refusal = writesRefusedFor(event);
    expect(refusal?.reason).toContain(`\`${event}\``);
    expect(refusal?.reason).toMatch(
      /only `push`, `schedule`, `workflow_dispatch`, `repository_dispatch`, `release` events write/,
    );
    expect(refusal?.fix).toMatch(/dry-run: true/);
  });

  it('an unknown event (GITHUB_EVENT_NAME unset or empty) gets the plan only', () => {
    expect(writesRefusedFor(undefined)?.reason).toMatch(/GITHUB_EVENT_NAME is empty/);
    expect(writesRefusedFor('')?.reason).toMatch(/GITHUB_EVENT_NAME is empty/);
  });
});
