// The harness the end-to-end suites run the action through (harness/action-runner.ts)
// gives a step what the runner gives it, and leaves nothing behind on the machine that runs the tests.
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runnerEnvironment, runStep } from '../../harness/action-runner.js';

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
});
