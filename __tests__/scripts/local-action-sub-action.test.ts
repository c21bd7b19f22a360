// `npm run local-action -- grant <mode>.env` runs a sub-action as `uses:
// cloud-access/cloud-access/grant@v1` runs it: from its own action.yml (the inputs it declares and
// their defaults, its main step with the operation fixed, grant's post step after the main one),
// against the emulator `npm run emulator:start` started, from the source. Here, which action and
// what of its action.yml; its runs against the emulator are in
// __tests__/workflows/local-modes-requests.test.ts, which starts one.
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import {
  actionNamed,
  localArguments,
  localTarget,
  tokenDefaults,
  undeclaredInputs,
} from '../../scripts/emulator/local-action-target.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('npm run local-action -- ACTION ENV_FILE: which action, from its action.yml', () => {
  it('names a sub-action as a uses: line or its folder does, and the root action as . or none', () => {
    for (const arg of ['grant', './grant', 'grant/', 'cloud-access/cloud-access/grant@v1'])
      expect(actionNamed(arg)).toBe('grant');
    for (const arg of ['.', './', 'cloud-access/cloud-access@v1']) expect(actionNamed(arg)).toBe('');
    for (const arg of ['.env', '.emulator/aws-assign.env', 'grants', 'other/repo/grant@v1'])
      expect(actionNamed(arg)).toBeUndefined();
  });

  it('keeps a lone .env file the root action’s, as before, and takes an action before the file', () => {
    const run = { noPost: false };
    expect(localArguments([])).toEqual({ action: '', envFile: '.env', ...run });
    expect(localArguments(['.emulator/sweep.env'])).toEqual({
      action: '',
      envFile: '.emulator/sweep.env',
      ...run,
    });
    expect(localArguments(['report'])).toEqual({ action: 'report', envFile: '.env', ...run });
    expect(localArguments(['grant', 'x.env'])).toEqual({ action: 'grant', envFile: 'x.env', ...run });
    expect(() => localArguments(['grnat', 'x.env'])).toThrow(/`grnat` names no action of this repository/);
  });

  it('takes `--no-post` before or after the others, and refuses any other option, naming it', () => {
    expect(localArguments(['--no-post', 'grant', 'x.env'])).toEqual({
      action: 'grant',
      envFile: 'x.env',
      noPost: true,
    });
    expect(localArguments(['x.env', '--no-post'])).toEqual({ action: '', envFile: 'x.env', noPost: true });
    expect(() => localArguments(['--nopost', 'x.env'])).toThrow(/`--nopost` is no option of this command/);
  });

  it("reads the sub-action's inputs and steps: grant has a post step, report none, neither reads operation", () => {
    const grant = localTarget(ROOT, 'grant');
    expect(grant).toMatchObject({ dir: 'grant', subAction: 'grant', post: true });
    expect(grant.inputs).toContain('revoke-on-exit');
    expect(grant.inputs).not.toContain('operation');
    expect(localTarget(ROOT, 'report')).toMatchObject({ dir: 'report', post: false });
    expect(localTarget(ROOT, '')).toMatchObject({ dir: '.', main: 'src/index.ts', post: true });
    const env = { INPUT_OPERATION: 'provision', INPUT_CLOUD: 'aws', 'INPUT_GITHUB-TOKEN': 't' };
    // As the runner warns: github-token too, which provision does not declare.
    expect(undeclaredInputs(env, localTarget(ROOT, 'provision'))).toEqual(['operation', 'github-token']);
    expect(undeclaredInputs(env, localTarget(ROOT, ''))).toEqual([]);
  });

  it('gives an input left to its `${{ github.token }}` default a token, as the runner does: the file’s GITHUB_TOKEN, else the emulator’s job token', () => {
    const sweep = localTarget(ROOT, 'sweep');
    expect(sweep.tokenInputs).toEqual(['github-token']);
    expect(localTarget(ROOT, 'provision').tokenInputs).toEqual([]);
    expect(tokenDefaults({ EMULATOR_GITHUB_TOKEN: 'ghs_job' }, sweep)).toEqual({
      'INPUT_GITHUB-TOKEN': 'ghs_job',
    });
    expect(tokenDefaults({ GITHUB_TOKEN: 'ghp_own', EMULATOR_GITHUB_TOKEN: 'ghs_job' }, sweep)).toEqual({
      'INPUT_GITHUB-TOKEN': 'ghp_own',
    });
    // The file's own value wins; with no token at all, nothing is given.
    expect(tokenDefaults({ 'INPUT_GITHUB-TOKEN': 'mine', EMULATOR_GITHUB_TOKEN: 'ghs_job' }, sweep)).toEqual(
      {},
    );
    expect(tokenDefaults({}, sweep)).toEqual({});
  });
});
