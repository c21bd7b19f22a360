// A sub-action's step reads its inputs with its operation fixed, and refuses every input it does
// not declare (an `operation` that asks for another among them), naming the sub-action to use.
import { describe, expect, it } from '@jest/globals';
import type { SubAction } from '../../../src/core/inputs/operation-inputs.js';
import { givenInputs, subActionInputs } from '../../../src/core/inputs/sub-action-inputs.js';

const given = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

describe("a sub-action's inputs", () => {
  /** The step's inputs as the runner passes them: `inputs`, read by name, and their names. */
  const sub = (inputs: Record<string, string>, name: SubAction) =>
    subActionInputs(given(inputs), name, Object.keys(inputs));

  it('read its operation whatever the runner passes, and pass every other input through', () => {
    const { read, undeclared } = sub({ cloud: 'aws' }, 'report');
    expect(read('operation')).toBe('report');
    expect(read('cloud')).toBe('aws');
    expect(undeclared).toEqual([]);
  });

  it('take an `operation` that says the same, in any case', () => {
    expect(sub({ operation: 'Assign' }, 'grant').undeclared).toEqual([]);
  });

  it('refuse an `operation` that asks for another, naming the sub-action that runs it', () => {
    const { read, undeclared } = sub({ operation: 'revoke' }, 'grant');
    expect(read('operation')).toBe('assign');
    expect(undeclared).toEqual([
      {
        input: 'operation',
        message: 'is not an input of the `grant` action, which runs `operation: assign` only',
        fix: 'remove `operation`, or use `cloud-access/cloud-access/revoke` for `revoke`',
      },
    ]);
  });

  it('refuse an `operation` that is none, without echoing it', () => {
    const { undeclared } = sub({ operation: '::error::x' }, 'sweep');
    expect(undeclared[0]?.fix).toBe('remove `operation`');
    expect(JSON.stringify(undeclared)).not.toContain('::error::');
  });

  it('refuse an input of another operation, naming the sub-actions that read it and never `operation:`', () => {
    const { undeclared } = sub({ cloud: 'aws', manifest: 'access.yml', 'max-deletions': '3' }, 'grant');
    expect(undeclared).toEqual([
      {
        input: 'manifest',
        message: 'is not an input of the `grant` action',
        fix: 'use `cloud-access/cloud-access/reconcile` or `cloud-access/cloud-access/report` or `cloud-access/cloud-access/review`, which read it, or remove `manifest`',
      },
      {
        input: 'max-deletions',
        message: 'is not an input of the `grant` action',
        fix: 'use `cloud-access/cloud-access/reconcile` or `cloud-access/cloud-access/sweep`, which read it, or remove `max-deletions`',
      },
    ]);
  });

  it('refuse an input of no cloud-access action the same way, naming it printably', () => {
    const { undeclared } = sub({ cloud: 'aws', 'max-duration': '1h', 'x\u001b[31m': 'y' }, 'grant');
    expect(undeclared).toEqual([
      {
        input: 'max-duration',
        message: 'is not an input of the `grant` action, nor of any cloud-access action',
        fix: "remove `max-duration` (the `grant` action's inputs: docs/inputs-and-outputs.md)",
      },
      expect.objectContaining({ input: 'x?[31m' }),
    ]);
  });

  it('name no sub-action for an input every other one reads: the fix is to remove it', () => {
    const { undeclared } = sub({ cloud: 'aws', 'client-id': 'app' }, 'provision');
    expect(undeclared).toEqual([
      {
        input: 'client-id',
        message: 'is not an input of the `provision` action',
        fix: 'remove `client-id`',
      },
    ]);
  });

  it('hide every input it does not declare from the step, so no check of another operation answers it', () => {
    const { read } = sub({ cloud: 'aws', manifest: 'access.yml', rule: 'deploy' }, 'grant');
    expect([read('manifest'), read('rule'), read('cloud')]).toEqual(['', '', 'aws']);
  });

  it('take an input it does not declare, given empty, as not given', () => {
    expect(sub({ cloud: 'aws', manifest: ' ', lookback: '' }, 'grant').undeclared).toEqual([]);
  });

  it('read the names the runner gave from its `INPUT_<NAME>` variables', () => {
    expect(
      givenInputs({ INPUT_CLOUD: 'aws', 'INPUT_MAX-DELETIONS': '3', GITHUB_INPUT: 'x', INPUTS: 'y' }),
    ).toEqual(['cloud', 'max-deletions']);
  });
});
