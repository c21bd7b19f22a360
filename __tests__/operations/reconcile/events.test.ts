// A reconcile on an event that may not write (core/check/events.ts): it never writes, and it
// always shows the plan. On a pull request's or a merge queue's check it plans as with `dry-run`,
// says at notice level why nothing was written, and passes unless the plan itself is refused; on
// any other such event the plan is shown and the step fails, naming the event and the fix.
import { describe, expect, it } from '@jest/globals';
import { runReconcile } from '../../../src/operations/reconcile/index.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';
import { alice, bob, carol, config, inMemoryCloud } from './in-memory-cloud.js';

const TOKEN = 'https://token.example';

describe('on `pull_request` and `merge_group` a reconcile plans, as with `dry-run`', () => {
  it.each(['pull_request', 'merge_group'])(
    '`%s`: the plan is shown, nothing is written, a notice says why, and the step passes',
    async (eventName) => {
      const cloud = inMemoryCloud([alice], [bob]);
      const runner = recordedRunner();
      await runReconcile(
        config(),
        onEvent(runner.effects, { eventName, tokenEndpoint: TOKEN }),
        cloud.sources,
      );
      expect(cloud.writes).toEqual([]);
      expect([...cloud.store.keys()]).toEqual(['u-bob@111111111111']);
      expect(runner.said.failed).toEqual([]);
      expect(runner.said.errors).toEqual([]);
      expect(runner.said.notices).toEqual([
        expect.stringMatching(
          new RegExp(
            `^nothing was written: on \`${eventName}\` events a reconcile plans only, as with \`dry-run: true\``,
          ),
        ),
      ]);
      expect(runner.said.log).toContain('  create: user alice / ReadOnly / 111111111111 (manifest line 6)');
      expect(runner.said.log).toContain('  delete: user bob (u-bob) / ReadOnly (PS) / 111111111111');
      expect(runner.said.groups.every(({ title }) => /would (create|delete)/.test(title))).toBe(true);
      expect(JSON.parse(runner.outputs.plan!)).toMatchObject({ create: 1, delete: 1 });
      expect(runner.outputs).toMatchObject({ status: 'SUCCEEDED', drift: 'true', 'drift-remaining': 'true' });
      expect(runner.said.summary).toMatch(/^<h3>cloud-access: aws reconcile \(dry run\)<\/h3>/);
      expect(runner.said.summary).toContain(
        `Dry run: nothing was written: on <code>${eventName}</code> events`,
      );
    },
  );

  it('a plan over `max-deletions` fails as it does under `dry-run`, and nothing is written', async () => {
    const cloud = inMemoryCloud([alice], [alice, bob, carol]);
    const runner = recordedRunner();
    await runReconcile(
      config({ maxDeletions: 1 }),
      onEvent(runner.effects, { eventName: 'pull_request', tokenEndpoint: TOKEN }),
      cloud.sources,
    );
    expect(cloud.writes).toEqual([]);
    expect(runner.outputs).toMatchObject({ status: 'FAILED', drift: 'true' });
    expect(runner.said.failed.join('\n')).toMatch(/more than `max-deletions` \(1\)/);
    expect(runner.said.notices.join('\n')).toMatch(/nothing was written: on `pull_request` events/);
  });

  it('with `dry-run: true` set, as the examples do, there is no notice: the plan is what was asked', async () => {
    const cloud = inMemoryCloud([alice], [bob]);
    const runner = recordedRunner();
    await runReconcile(
      config({ dryRun: true }),
      onEvent(runner.effects, { eventName: 'pull_request', tokenEndpoint: TOKEN }),
      cloud.sources,
    );
    expect(cloud.writes).toEqual([]);
    expect(runner.said.notices).toEqual([]);
    expect(runner.said.summary).toContain('Dry run: nothing was written.');
  });

  it("a fork's pull request (no OIDC token) is checked and its plan skipped with a notice, not failed", async () => {
    const cloud = inMemoryCloud([alice], []);
    const runner = recordedRunner();
    await runReconcile(
      config(),
      onEvent(runner.effects, { eventName: 'pull_request', tokenEndpoint: undefined }),
      cloud.sources,
    );
    expect(cloud.opened.count).toBe(0);
    expect(runner.said.failed).toEqual([]);
    expect(runner.said.notices).toEqual([expect.stringMatching(/the plan against the cloud is skipped/)]);
  });
});

describe('on every other event outside the write list, the plan is shown and the step fails', () => {
  it.each(['pull_request_target', 'issue_comment', 'workflow_run', 'pull_request_review', 'a_future_event'])(
    '`%s`: the plan is read and shown, nothing is written, and the error names the event and the fix',
    async (eventName) => {
      const cloud = inMemoryCloud([alice], [bob]);
      const runner = recordedRunner();
      await runReconcile(
        config(),
        onEvent(runner.effects, { eventName, tokenEndpoint: TOKEN }),
        cloud.sources,
      );
      expect(cloud.writes).toEqual([]);
      expect([...cloud.store.keys()]).toEqual(['u-bob@111111111111']);
      // The plan, in the log and in the summary's table.
      expect(runner.said.log).toContain('  create: user alice / ReadOnly / 111111111111 (manifest line 6)');
      expect(runner.said.log).toContain('  delete: user bob (u-bob) / ReadOnly (PS) / 111111111111');
      expect(runner.said.summary).toMatch(/^<h3>cloud-access: aws reconcile: plan refused<\/h3>/);
      expect(runner.said.summary).toMatch(
        /<td>user bob \(u-bob\)<\/td>.*would delete; FAILED: not run, the plan was refused/,
      );
      expect(runner.said.summary).toContain(`writes are refused on <code>${eventName}</code> events`);
      // The step fails once, on the event, with the fix.
      expect(runner.said.failed).toEqual([
        expect.stringMatching(
          new RegExp(
            `^writes are refused on \`${eventName}\` events.*the plan was not applied, nothing was written: set \`dry-run: true\``,
          ),
        ),
      ]);
      expect(JSON.parse(runner.outputs.plan!)).toMatchObject({ create: 1, delete: 1 });
      expect(runner.outputs).toMatchObject({ status: 'FAILED', drift: 'true', 'drift-remaining': 'true' });
      expect(runner.outputs['failure-reason']).toMatch(new RegExp(`\`${eventName}\``));
      expect(runner.said.notices).toEqual([]);
    },
  );

  it('a run whose event is not known (GITHUB_EVENT_NAME unset) is shown the plan and fails', async () => {
    const cloud = inMemoryCloud([alice], [bob]);
    const runner = recordedRunner();
    await runReconcile(config(), onEvent(runner.effects, { tokenEndpoint: TOKEN } as never), cloud.sources);
    expect(cloud.writes).toEqual([]);
    expect(runner.outputs.plan).toBeDefined();
    expect(runner.said.failed.join('\n')).toMatch(/GITHUB_EVENT_NAME is empty/);
  });

  it('without an OIDC token the plan cannot be read: the event is refused before any request, as before', async () => {
    const cloud = inMemoryCloud([alice], [bob]);
    const runner = recordedRunner();
    await runReconcile(
      config(),
      onEvent(runner.effects, { eventName: 'pull_request_target', tokenEndpoint: undefined }),
      cloud.sources,
    );
    expect(cloud.opened.count).toBe(0);
    expect(runner.said.notices).toEqual([]);
    expect(runner.said.failed).toEqual(['nothing was requested from the cloud']);
    expect(runner.said.errors.map((e) => e.message).join('\n')).toMatch(
      /writes are refused on `pull_request_target` events.*nothing was requested from the cloud: set `dry-run: true`/,
    );
  });
});
