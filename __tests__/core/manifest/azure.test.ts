// An Azure manifest entry's kind: `type: eligible` makes a PIM eligibility, `duration` its length;
// what an eligibility cannot go with is a problem at its line.
import { describe, expect, it } from '@jest/globals';
import { parseManifest, type ManifestResult } from '../../../src/core/manifest/parse.js';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001';
const GROUP_ID = '11111111-2222-3333-4444-555555555555';
const CONDITION =
  '"@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'logs\'"';

const manifestWith = (...entries: string[]) =>
  parseManifest(
    'access.yml',
    [
      'version: 1',
      'azure:',
      `  manages: {scopes: ['${SUB}']}`,
      '  assignments:',
      ...entries.map((e) => `    - {principal: '${GROUP_ID}', role: Reader, target: '${SUB}'${e}}`),
    ].join('\n'),
  );
const problems = (result: ManifestResult) =>
  'problems' in result ? result.problems.map((p) => `${p.line}: ${p.message}`) : [];

describe('an Azure entry says whether it is an eligibility', () => {
  it('is active unless it says `type: eligible`, and an eligibility takes a duration or none', () => {
    const entriesOf = (result: ManifestResult) => {
      if ('problems' in result) throw new Error(JSON.stringify(result.problems));
      return result.manifest.azure!.assignments;
    };
    const [active, eligible] = entriesOf(manifestWith('', ', type: eligible, duration: P90D'));
    expect(active).toMatchObject({ type: 'active', duration: undefined });
    expect(eligible).toMatchObject({ type: 'eligible', duration: { iso: 'P90D' } });
    expect(entriesOf(manifestWith(', type: eligible'))[0]).toMatchObject({
      type: 'eligible',
      duration: undefined,
    });
  });

  it('takes an active and an eligible entry of one principal, role and target for two grants, not a duplicate', () => {
    expect(problems(manifestWith('', ', type: eligible'))).toEqual([]);
    expect(problems(manifestWith(', type: eligible', ', type: eligible'))).toEqual([
      expect.stringMatching(/^6: .*is a duplicate/),
    ]);
  });

  it('refuses an unknown type, a duration on an active entry, and a condition on an eligibility, each at its line', () => {
    expect(problems(manifestWith(', type: permanent'))).toEqual([
      expect.stringMatching(/^5: `azure\.assignments\[0\]\.type`/),
    ]);
    expect(problems(manifestWith(', duration: P30D'))).toEqual([
      expect.stringMatching(
        /^5: `azure\.assignments\[0\]\.duration`: applies to `type: eligible` entries only/,
      ),
    ]);
    expect(problems(manifestWith(`, type: eligible, condition: ${CONDITION}`))).toEqual([
      expect.stringMatching(/^5: `azure\.assignments\[0\]\.condition`: cannot be used with `type: eligible`/),
    ]);
    expect(problems(manifestWith(', type: eligible, duration: P2Y'))).toEqual([
      expect.stringMatching(/^5: `azure\.assignments\[0\]\.duration`/),
    ]);
  });
});
