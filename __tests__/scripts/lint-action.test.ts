// action.yml is checked against the action metadata schema and the Marketplace listing's limits in
// `npm run lint:workflows` (and so in CI): what GitHub would refuse or ignore fails here first.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  actionYmlProblems,
  MARKETPLACE_DESCRIPTION_LIMIT,
  marketplaceProblems,
} from '../../scripts/workflows/lint-action.js';

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

  it('names a branding color GitHub does not offer, and the value', () => {
    expect(actionYmlProblems(actionYml.replace(/^ {2}color: .*$/m, '  color: teal'))).toEqual([
      '/branding/color: Enum conditions are not met (got "teal")',
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

describe('the Marketplace listing', () => {
  const withDescription = (description: string) =>
    actionYml.replace(/^description: .*$/m, `description: ${description}`);

  it('accepts the action as it is: a name, a short description, a badge', () => {
    expect(marketplaceProblems(actionYml)).toEqual([]);
  });

  it('takes a description of fewer than 125 characters, and refuses 125', () => {
    expect(marketplaceProblems(withDescription('x'.repeat(MARKETPLACE_DESCRIPTION_LIMIT - 1)))).toEqual([]);
    expect(marketplaceProblems(withDescription('x'.repeat(MARKETPLACE_DESCRIPTION_LIMIT)))).toEqual([
      '/description: 125 characters; the Marketplace takes fewer than 125',
    ]);
  });

  it('needs a name and a description', () => {
    const bare = actionYml.replace(/^name: .*$/m, 'name: ""').replace(/^description: .*$/m, '');
    expect(marketplaceProblems(bare)).toEqual([
      '/name: the Marketplace lists the action under its name: give one, on one line',
      '/description: the Marketplace shows it on the listing: give one',
    ]);
  });

  it('needs the badge: an icon and a color', () => {
    expect(marketplaceProblems(actionYml.replace(/^branding:\n(?: {2}.*\n)+/m, ''))).toEqual([
      '/branding/icon: the Marketplace badge needs one',
      '/branding/color: the Marketplace badge needs one',
    ]);
  });
});
