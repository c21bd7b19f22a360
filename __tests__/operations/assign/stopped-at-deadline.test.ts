// An assign or revoke whose `timeout-seconds` passed before its first grant's turn (a slow sign-in
// or instance read): every grant is reported not started, and the step fails, waiting or not.
import { describe, expect, it } from '@jest/globals';
import { parseInputs, type StepConfig } from '../../../src/core/inputs/index.js';
import { Deadline, NotSentError, DeadlineExceededError } from '../../../src/engine/limits/deadline.js';
import { stoppedAtDeadline } from '../../../src/operations/assign/stopped-at-deadline.js';
import { outputsAsSet } from '../../harness/step-outputs.js';

const RUN = {
  repository: 'octo-org/octo-repo',
  runId: '1',
  runAttempt: '1',
  serverUrl: 'https://github.com',
};
const config = (inputs: Record<string, string> = {}) =>
  parseInputs(
    (name) =>
      ({
        cloud: 'aws',
        operation: 'assign',
        'aws-region': 'us-east-1',
        'role-to-assume': 'arn:aws:iam::123456789012:role/r',
        principal: 'alice',
        target: '111111111111\n222222222222',
        role: 'ReadOnlyAccess',
        'timeout-seconds': '2',
        ...inputs,
      })[name] ?? '',
    {},
    RUN,
  ) as StepConfig;
const passed = new DeadlineExceededError('ListInstances', new Error('the request timed out'));

const rowsOf = (report: ReturnType<typeof stoppedAtDeadline>) =>
  JSON.parse(outputsAsSet(report!).text.results!) as Record<string, unknown>[];

describe('a deadline that passes before the first grant’s turn', () => {
  it('reports every grant IN_PROGRESS, not started, naming the call it passed in and the fix', () => {
    const report = stoppedAtDeadline(config(), passed)!;
    const rows = rowsOf(report);
    expect(rows.map((r) => [r.target, r.status, r.changed])).toEqual([
      ['111111111111', 'IN_PROGRESS', false],
      ['222222222222', 'IN_PROGRESS', false],
    ]);
    expect(rows[0]!.failureReason).toBe(
      "not started: the 2s deadline (`timeout-seconds`) passed during ListInstances, before the first grant's turn; nothing was requested; raise `timeout-seconds`, or set `wait: false` to end the step once the requests are accepted",
    );
    expect(report.outputs).toContainEqual(['status', 'IN_PROGRESS']);
    expect(report.failed).toBe('2 of 2 grants did not succeed');
  });

  it('fails the step even when it does not wait: nothing it was asked for was sent', () => {
    const report = stoppedAtDeadline(config({ wait: 'false' }), passed)!;
    expect(rowsOf(report).map((r) => r.status)).toEqual(['IN_PROGRESS', 'IN_PROGRESS']);
    expect(report.failed).toBe('2 of 2 grants were not started');
  });

  it('a revoke’s rows are revokes', () => {
    const rows = rowsOf(stoppedAtDeadline(config({ operation: 'revoke' }), passed));
    expect(rows.map((r) => r.operation)).toEqual(['revoke', 'revoke']);
  });

  it('one that passed before a read was sent (a loaded runner): every grant not started too, naming that read', () => {
    const notSent = new NotSentError('DescribePermissionSet', 'its turn', new Deadline(2));
    const rows = rowsOf(stoppedAtDeadline(config(), notSent));
    expect(rows.map((r) => [r.target, r.status])).toEqual([
      ['111111111111', 'IN_PROGRESS'],
      ['222222222222', 'IN_PROGRESS'],
    ]);
    expect(rows[0]!.failureReason).toMatch(
      /^not started: the 2s deadline \(`timeout-seconds`\) passed during DescribePermissionSet, /,
    );
  });

  it('leaves any other failure, and any other operation, to the step’s failure report', () => {
    expect(stoppedAtDeadline(config(), new Error('AccessDeniedException: no'))).toBeUndefined();
  });
});
