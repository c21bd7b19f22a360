// How a step's process ends (src/github/step-end.ts): with exit code 1 and one inert `::error::`
// (and, for a main step, `status` and `failure-reason`) whatever escapes it — a thrown error, an
// exception thrown from a timer, a rejection no one handles — never as a crash with a stack trace
// of the bundle; and not held open by a socket or timer a step abandoned.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseFileCommands } from '../../harness/action-runner.js';

const stepEnd = JSON.stringify(resolve('src/github/step-end.ts'));
const HOSTILE = 'Too Many Requests\n::warning::pwned ##[stop-commands]t0k3n';

/** Runs `step` (the body of an async function) as a step's entry runs it, through runToTheEnd. */
function runToTheEnd(step: string, outputs = true) {
  const dir = mkdtempSync(join(tmpdir(), 'step-end-'));
  const output = join(dir, 'output');
  writeFileSync(output, '');
  const script = join(dir, 'entry.mts');
  writeFileSync(
    script,
    `import { runToTheEnd } from ${stepEnd};\nawait runToTheEnd(async () => {\n${step}\n}, { outputs: ${outputs} });\n`,
  );
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, GITHUB_OUTPUT: output, HOSTILE },
    encoding: 'utf8',
    timeout: 60_000,
  });
  try {
    return {
      status: run.status,
      stdout: run.stdout,
      stderr: run.stderr,
      tookMs: Date.now() - started,
      outputs: parseFileCommands(readFileSync(output, 'utf8')),
      errors: run.stdout.split('\n').filter((l) => l.startsWith('::error::')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A line the runner would take as a command other than the one `::error::`. */
const forged = (stdout: string) =>
  stdout.split('\n').filter((l) => (l.startsWith('::') && !l.startsWith('::error::')) || l.includes('##['));

describe('nothing escapes a step as a crash', () => {
  it('an error thrown out of the step (a GraphError the step did not catch) fails it with one inert ::error:: and its outputs', () => {
    const step = runToTheEnd(
      `class GraphError extends Error { name = 'GraphError' }\nthrow new GraphError('429 TooManyRequests: ' + process.env.HOSTILE);`,
    );
    expect(step.status).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toContain(
      'the step stopped on an unexpected error (GraphError: 429 TooManyRequests: Too Many Requests',
    );
    expect(step.outputs.status).toBe('FAILED');
    expect(step.outputs['failure-reason']).toContain('GraphError: 429 TooManyRequests');
    expect(forged(step.stdout)).toEqual([]);
    expect(step.stderr).not.toMatch(/\n\s+at /);
  });

  it('a rejection no one handles, while the step waits on an open socket-like handle, ends the step at once', () => {
    const step = runToTheEnd(
      `setTimeout(() => void Promise.reject(new Error('late ' + process.env.HOSTILE)), 10);\nawait new Promise(() => setInterval(() => {}, 1000));`,
    );
    expect(step.status).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toContain('(Error: late Too Many Requests');
    expect(step.outputs.status).toBe('FAILED');
    expect(forged(step.stdout)).toEqual([]);
    expect(step.stderr).not.toMatch(/\n\s+at /);
  });

  it('an exception thrown from a timer ends a post step (no outputs) with exit code 1', () => {
    const step = runToTheEnd(
      `setTimeout(() => { throw new TypeError('boom') }, 10);\nawait new Promise(() => setInterval(() => {}, 1000));`,
      false,
    );
    expect(step.status).toBe(1);
    expect(step.errors).toEqual([expect.stringContaining('(TypeError: boom)')]);
    expect(step.outputs).toEqual({});
  });

  it('a step that ended is not held open by a timer it left running, and keeps its exit code', () => {
    const step = runToTheEnd(`setInterval(() => {}, 1000);\nprocess.exitCode = 0;\nconsole.log('done');`);
    expect(step.status).toBe(0);
    expect(step.stdout).toBe('done\n');
    expect(step.errors).toEqual([]);
  });
});
