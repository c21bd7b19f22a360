// What a plan proved of its changes is said at the step's end, written or stopped: its output in
// place of the empty one every step sets, its summary after the plan's.
import { describe, expect, it } from '@jest/globals';
import { checksHtml, withChecksOutputs } from '../../../src/core/output/plan-checks.js';
import { stoppedAtLines } from '../../../src/core/output/stopped.js';

const checks = {
  output: 'policy-checks',
  json: { sets: [], calls: 2, unchecked: 0 },
  summaryHtml: '<p>2 calls</p>',
};
const header = { title: 'cloud-access: aws reconcile' };

describe('a plan’s checks are said whether the plan was written or stopped', () => {
  it('sets the checks’ output in place of the empty one, once', () => {
    const outputs = withChecksOutputs(
      [
        ['status', 'FAILED'],
        ['policy-checks', ''],
      ],
      [checks],
    );
    expect(outputs).toEqual([
      ['status', 'FAILED'],
      ['policy-checks', { json: checks.json }],
    ]);
  });

  it('adds an output no step sets empty, and says no summary for checks that have none', () => {
    expect(withChecksOutputs([], [checks])).toEqual([['policy-checks', { json: checks.json }]]);
    expect(checksHtml([{ ...checks, summaryHtml: '' }])).toEqual([]);
  });

  it('a step stopped at a check’s line sets the checks’ output and shows their summary after the problems', () => {
    const report = stoppedAtLines(
      {
        what: 'manifest',
        file: 'access.yml',
        problems: [
          { line: 6, message: 'permission set `Dev`: `inline-policy` allows what `must-not-grant` forbids' },
        ],
        headline: 'nothing was written',
        checks: [checks],
      },
      header,
    );
    expect(report.outputs?.filter(([name]) => name === 'policy-checks')).toEqual([
      ['policy-checks', { json: checks.json }],
    ]);
    expect(report.summaryHtml).toMatch(/access\.yml:6: .*<\/ul>\n<p>2 calls<\/p>\n$/s);
    expect(report.failed).toBe('1 problem(s) in the manifest: nothing was written');
  });
});
