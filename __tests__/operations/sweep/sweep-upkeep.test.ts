// What a sweep tidied beside its revokes (expired session fences) in its report: its lines after the
// revokes', its entries at the end of `results`, `changed` when it wrote, and a removal that failed
// fails the step with its reason, as a revoke would.
import { describe, expect, it } from '@jest/globals';
import type { StepReport } from '../../../src/core/output/step.js';
import { withUpkeep } from '../../../src/operations/sweep/sweep-upkeep.js';

const report: StepReport = {
  lines: ['revoked alice'],
  outputs: [
    ['plan', '{"revoke":1}'],
    ['results', '[{"principal":"alice"}]'],
    ['status', 'SUCCEEDED'],
    ['changed', 'false'],
  ],
  jsonOutputs: ['plan', 'results'],
};
const output = (r: StepReport, name: string) => new Map(r.outputs).get(name);

describe('a sweep’s removal of expired session fences in its report', () => {
  it('adds its lines and `results` entries; a removal made is a change', () => {
    const removal = {
      change: 'session-fence-removal',
      target: '222222222222',
      status: 'SUCCEEDED',
      changed: true,
    };
    const amended = withUpkeep(report, { lines: ['removed the expired session fence'], results: [removal] });
    expect(amended.lines).toEqual(['revoked alice', 'removed the expired session fence']);
    expect(JSON.parse(output(amended, 'results')!)).toEqual([{ principal: 'alice' }, removal]);
    expect(output(amended, 'changed')).toBe('true');
    expect(output(amended, 'status')).toBe('SUCCEEDED');
    expect(amended.failed).toBeUndefined();
  });

  it('a removal that failed fails the step, naming the set and why', () => {
    const amended = withUpkeep(report, {
      lines: [],
      results: [{ status: 'FAILED', changed: false }],
      failed: 'the expired session fence(s) of ReadOnly: AccessDeniedException',
    });
    expect(output(amended, 'status')).toBe('FAILED');
    expect(output(amended, 'failure-reason')).toBe(
      'the expired session fence(s) of ReadOnly: AccessDeniedException',
    );
    expect(amended.failed).toBe(
      'FAILED to remove the expired session fence(s) of ReadOnly: AccessDeniedException',
    );
  });

  it('nothing tidied leaves the report as it was', () => {
    expect(withUpkeep(report, undefined)).toBe(report);
    expect(withUpkeep(report, { lines: [], results: [] })).toBe(report);
  });
});
