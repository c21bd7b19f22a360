// The read stage of a reconcile stops at the first stage whose problems the file must fix: what
// the names' reads contradict in the creates' entries (an Azure object ID written with a type the
// directory contradicts) stops it before the plan is handed on, so nothing is written.
import { describe, expect, it } from '@jest/globals';
import type { DesiredAssignment } from '../../../src/core/plan/assignment-diff.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import type { Reconciler } from '../../../src/engine/run/reconciler.js';
import { readForPlan } from '../../../src/operations/reconcile/reconcile-read.js';

const row: DesiredAssignment<undefined, string> = {
  principalId: 'g-1',
  principalType: 'User',
  roleId: 'r',
  targetId: 't',
  target: 't',
  kind: 'azure-role-assignment',
  key: 'g-1|r|t',
  written: { principal: 'g-1', role: 'r', target: 't' },
  line: 7,
  managed: true,
  settings: undefined,
};

function reconciler(problems: { line: number; message: string }[] | undefined) {
  const asked: { rows: number; creates: string[] }[] = [];
  const r: Reconciler<undefined, string> = {
    cloud: 'azure',
    stats: emptyStats(),
    prepare: async () => {},
    expand: async () => ({ desired: [row], problems: [], notes: ['expanded'] }),
    readCurrent: async () => ({ current: [], read: { strategy: 's', calls: 1, alternatives: [] } }),
    names: async (rows, creates) => {
      asked.push({ rows: rows.length, creates: creates.map((c) => c.key) });
      return { nameOf: () => ({}), notes: ['named'], ...(problems ? { problems } : {}) };
    },
    writes: () => {
      throw new Error('the read stage never writes');
    },
  };
  return { r, asked };
}

describe("the names' reads contradicting an entry stop the read stage", () => {
  it('stops at `read` with the problems at their lines and every note so far; the creates were asked about', async () => {
    const { r, asked } = reconciler([{ line: 7, message: 'is a Group in the directory' }]);
    const read = await readForPlan(r, { cloud: 'azure', line: 2 });
    expect(read).toEqual({
      stoppedAt: 'read',
      problems: [{ line: 7, message: 'is a Group in the directory' }],
      notes: ['expanded', 'named'],
      warnings: [],
    });
    expect(asked).toEqual([{ rows: 1, creates: ['g-1|r|t'] }]);
  });

  it('with no problems, the plan goes on, named', async () => {
    const { r } = reconciler([]);
    const read = await readForPlan(r, { cloud: 'azure', line: 2 });
    expect('plan' in read && read.plan.creates.map((c) => c.key)).toEqual(['g-1|r|t']);
  });
});
