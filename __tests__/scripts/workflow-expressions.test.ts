// The played workflow's expressions (scripts/workflows/expressions.ts) follow GitHub's rules, so an
// example that works when played works on a runner: the `if:` of a step after a failed one, loose
// comparison, operands from && and ||, and a context the player was not given is an error.
import { describe, expect, it } from '@jest/globals';
import {
  evaluateExpression,
  interpolate,
  shouldRun,
  type ExpressionContext,
} from '../../scripts/workflows/expressions.js';

const context = (jobFailed = false): ExpressionContext => ({
  contexts: {
    env: { NAME: 'x' },
    steps: {
      plan: {
        outcome: 'failure',
        conclusion: 'failure',
        outputs: { drift: 'true', plan: '{"delete":12}', 'failure-reason': '' },
      },
      ok: { outcome: 'success', conclusion: 'success', outputs: {} },
    },
    github: { event_name: 'schedule', token: 't' },
    vars: { GROUP: 'Deployers' },
    secrets: {},
    inputs: { duration: '1h' },
  },
  strict: new Set(['github', 'vars', 'secrets', 'inputs']),
  jobFailed,
});

describe('a played workflow’s expressions', () => {
  it('run a step with no status function only while the job has not failed', () => {
    expect(shouldRun(undefined, context())).toBe(true);
    expect(shouldRun(undefined, context(true))).toBe(false);
    expect(shouldRun("steps.plan.outputs.drift == 'true'", context(true))).toBe(false);
    expect(shouldRun("${{ !cancelled() && steps.plan.outputs.drift == 'true' }}", context(true))).toBe(true);
    expect(shouldRun('${{ always() }}', context(true))).toBe(true);
    expect(shouldRun('failure()', context(true))).toBe(true);
    expect(shouldRun("failure() && steps.plan.outcome == 'success'", context(true))).toBe(false);
  });

  it('compare strings without case, and other types as numbers', () => {
    expect(evaluateExpression("steps.plan.outputs.drift == 'TRUE'", context())).toBe(true);
    expect(evaluateExpression("steps.plan.outputs.drift != 'true'", context())).toBe(false);
    expect(evaluateExpression("'1' == 1", context())).toBe(true);
    expect(evaluateExpression('null == 0', context())).toBe(true);
    expect(evaluateExpression('fromJSON(steps.plan.outputs.plan).delete > 10', context())).toBe(true);
  });

  it('give an operand from && and ||, and read functions GitHub has', () => {
    expect(evaluateExpression("steps.plan.outputs.failure-reason && format('({0})', 'x')", context())).toBe(
      '',
    );
    expect(evaluateExpression("github.event_name != 'push' || 'never'", context())).toBe(true);
    expect(evaluateExpression("contains('a,b', 'B') && startsWith(inputs.duration, '1')", context())).toBe(
      true,
    );
    expect(interpolate('${{ vars.GROUP }} for ${{ inputs.duration }} (${{ env.MISSING }})', context())).toBe(
      'Deployers for 1h ()',
    );
  });

  it('refuse a context or a name the player was not given, rather than guess', () => {
    expect(() => evaluateExpression('matrix.os', context())).toThrow('the player does not evaluate');
    expect(() => evaluateExpression('vars.NOPE', context())).toThrow(
      'the played workflow reads vars.NOPE, which the player was not given',
    );
    expect(() => evaluateExpression("hashFiles('x')", context())).toThrow('does not evaluate hashFiles()');
    expect(() => evaluateExpression("'a' ==", context())).toThrow();
  });
});
