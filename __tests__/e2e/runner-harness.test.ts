// The harness the end-to-end suites run the action through (harness/action-runner.ts)
// gives a step what the runner gives it, and leaves nothing behind on the machine that runs the tests.
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bundleDir,
  inputsWithDefaults,
  runnerEnvironment,
  runStep,
  stepEntry,
} from '../../harness/action-runner.js';

describe('the runner harness', () => {
  it("gives a step the runner's variables and files, the event's payload among them", () => {
    const dir = mkdtempSync(join(tmpdir(), 'harness-'));
    try {
      const { env, files } = runnerEnvironment(dir, {
        inputs: { cloud: 'aws' },
        state: {},
        debug: false,
        env: {},
      });
      expect(env).toMatchObject({
        INPUT_CLOUD: 'aws',
        GITHUB_REPOSITORY: 'octo-org/octo-repo',
        GITHUB_RUN_ID: expect.stringMatching(/^\d+$/),
        GITHUB_ACTOR: 'octocat',
        GITHUB_REF: 'refs/heads/main',
      });
      expect(JSON.parse(readFileSync(env.GITHUB_EVENT_PATH!, 'utf8'))).toHaveProperty('repository');
      for (const file of Object.values(files)) expect(readFileSync(file, 'utf8')).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("removes a step's folder once the step ended, after reading its outputs and summary", async () => {
    const step = await runStep('main', { inputs: {}, env: {} });
    expect(step.exitCode).toBe(1);
    expect(step.outputs.status).toBe('FAILED');
    expect(step.summary).toContain('invalid input');
    expect(existsSync(step.dir)).toBe(false);
  });

  it("fills a sub-action's inputs in from its own action.yml's defaults, as the runner does, the step's own over them", () => {
    const inputs = inputsWithDefaults('sweep', { cloud: 'aws', 'max-deletions': '3', rule: 'given' });
    expect(inputs).toMatchObject({ cloud: 'aws', 'max-deletions': '3', 'fail-on-stuck': 'true' });
    // The job's token is an expression the runner evaluates: none here unless a test gives one.
    expect(inputs['github-token']).toBe('');
    // An input the sub-action does not declare is passed on (the runner warns, and passes it).
    expect(inputs.rule).toBe('given');
    expect(inputs).not.toHaveProperty('principal');
  });

  it("runs a sub-action's own entry, a file of the same bundle", () => {
    expect(stepEntry('main', bundleDir(), 'grant')).toBe(join(bundleDir(), 'grant.js'));
    expect(stepEntry('post', bundleDir(), 'grant')).toBe(stepEntry('post'));
    expect(() => stepEntry('post', bundleDir(), 'report')).toThrow(
      /report\/action.yml's runs.post is not a file in dist/,
    );
  });
});
