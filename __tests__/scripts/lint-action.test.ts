// action.yml is checked against the action metadata schema in `npm run lint:workflows` (and so in
// CI): what GitHub would refuse or ignore fails here first.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionYmlProblems } from '../../scripts/lint-action.js';

const actionYml = readFileSync(join(import.meta.dirname, '..', '..', 'action.yml'), 'utf8');

describe('the action.yml check', () => {
  it('passes the action as it is', () => {
    expect(actionYmlProblems(actionYml)).toEqual([]);
  });

  it('names a branding icon GitHub does not offer, and the value', () => {
    expect(actionYmlProblems(actionYml.replace(/^ {2}icon: .*$/m, '  icon: key'))).toEqual([
      '/branding/icon: Enum conditions are not met (got "key")',
    ]);
  });

  it('lets `using: node24` through, and no other runtime the schema does not know', () => {
    expect(actionYml).toMatch(/^ {2}using: node24$/m);
    expect(actionYmlProblems(actionYml.replace(/^ {2}using: .*$/m, '  using: node99'))).toHaveLength(1);
  });

  it('still checks a node24 action for what it needs: `runs.main`, known keys', () => {
    expect(actionYmlProblems(actionYml.replace(/^ {2}main: .*$/m, ''))).not.toEqual([]);
    expect(actionYmlProblems(`${actionYml}\nrun:\n  main: x\n`)).not.toEqual([]);
  });
});
