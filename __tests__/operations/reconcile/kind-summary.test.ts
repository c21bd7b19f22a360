// The changes of a kind's plan a dry run would make (AWS: its permission sets), as a pull request's
// reviewer reads them in the job summary: `would …`, each change's reach, its diff folded and cut
// where long, every text escaped, in the kind's own words.
import { describe, expect, it } from '@jest/globals';
import { kindSection, SUMMARY_DIFF_CHARS } from '../../../src/operations/reconcile/reconcile-summary.js';
import type { KindChangeShown, KindWords } from '../../../src/engine/run/reconciler.js';

/** The summary's section of a kind plan's changes as a dry run (or a refused plan) would make them. */
const plannedKindSection = (
  words: KindWords,
  shown: KindChangeShown[],
  mode: 'dry-run' | 'refused',
  rows: number,
) => kindSection({ words, results: [], shown }, mode, rows);
import { SET_WORDS } from '../../../src/aws/permission-sets/defined-sets.js';
import { MEMBERSHIP_WORDS } from '../../../src/azure/group/reconcile.js';

const update = (name: string, lines: string[]) => ({
  change: 'update',
  name,
  reach: 'reaches 1 account(s) (111111111111) and 1 principal(s) (alice)',
  lines,
});

describe("a dry run's permission-set table", () => {
  it('cuts a long diff at a line end within its characters, and says the log has it whole', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `      + line ${i} of the policy`);
    const html = plannedKindSection(SET_WORDS, [update('ReadOnly', lines)], 'dry-run', 200).join('');
    const shown = /<pre>([\s\S]*)<\/pre>/.exec(html)![1]!;
    expect(shown.length).toBeLessThan(SUMMARY_DIFF_CHARS + 200);
    expect(html).toContain('line 0 of the policy');
    expect(html).not.toContain('line 399 of the policy');
    expect(html).toContain('<summary>400 line(s)</summary>');
    expect(html).toMatch(/more characters: the log shows it whole/);
  });

  it('shows at most the rows it is given and says how many more the log has', () => {
    const planned = ['A', 'B', 'C'].map((name) => update(name, [`~ update permission set ${name}`]));
    const html = plannedKindSection(SET_WORDS, planned, 'dry-run', 2).join('');
    expect(html).toContain('<h4>Permission sets (3)</h4>');
    expect(html).toContain('<td>B</td><td>would update</td>');
    expect(html).not.toContain('<td>C</td>');
    expect(html).toContain('<p>1 more are in the log.</p>');
  });

  it('escapes every line of a diff on its own, so none starts a workflow command or markup', () => {
    const html = plannedKindSection(
      SET_WORDS,
      [update('<b>X</b>', ['::error::<i>pwned</i>'])],
      'refused',
      200,
    ).join('');
    expect(html).toContain(
      '<td>&lt;b&gt;X&lt;/b&gt;</td><td>would update; FAILED: not run, the plan was refused</td>',
    );
    expect(html).not.toContain('<i>pwned');
    expect(html).not.toMatch(/^::error::/m);
  });

  it('is headed and columned in the words of the kind plan it shows: PIM for groups memberships', () => {
    const shown = {
      change: 'create',
      name: 'alice as active member of group: admins',
      reach: 'group: admins',
      lines: ['+ alice'],
    };
    const html = plannedKindSection(MEMBERSHIP_WORDS, [shown], 'dry-run', 200).join('');
    expect(html).toContain('<h4>PIM for groups memberships (1)</h4>');
    expect(html).toContain('<th>membership</th><th>change</th><th>reach</th><th>plan</th>');
    expect(html).not.toMatch(/permission set/i);
  });
});
