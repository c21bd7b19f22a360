// A step that uses the root action or a sub-action is checked against that action's action.yml,
// as actionlint checks the actions it can read: every `with:` key declared, every required input
// given, every output read declared.
import { actionInputProblems, ownActionFolder } from '../../scripts/workflows/action-inputs.js';

const workflow = (steps: string) =>
  ['on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', steps].join('\n');

describe("a workflow's steps that use this repository's actions", () => {
  it('are told apart by their `uses:`: the root action, a sub-action, remote or local, and no other', () => {
    expect(ownActionFolder('cloud-access/cloud-access@v1')).toBe('');
    expect(ownActionFolder('cloud-access/cloud-access/grant@v1')).toBe('grant');
    expect(ownActionFolder('./')).toBe('');
    expect(ownActionFolder('./report')).toBe('report');
    expect(ownActionFolder('cloud-access/cloud-access/not-one@v1')).toBeUndefined();
    expect(ownActionFolder('actions/checkout@v4')).toBeUndefined();
  });

  it('refuse an input the sub-action does not declare, at its line, naming the ones it does', () => {
    const problems = actionInputProblems(
      workflow(
        [
          '      - uses: cloud-access/cloud-access/report@v1',
          '        with:',
          '          cloud: aws',
          '          principal: alice',
        ].join('\n'),
      ),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        line: 9,
        kind: 'action',
        message: expect.stringMatching(
          /^input "principal" is not defined in action "cloud-access\/cloud-access\/report@v1"\. available inputs are "cloud", "target", "role",/,
        ),
      }),
    ]);
  });

  it('take the same input on the root action, which declares them all', () => {
    const steps = [
      '      - uses: cloud-access/cloud-access@v1',
      '        with:',
      '          cloud: aws',
      '          operation: report',
      '          principal: alice',
    ].join('\n');
    expect(actionInputProblems(workflow(steps))).toEqual([]);
  });

  it('need every required input', () => {
    const problems = actionInputProblems(
      workflow(
        ['      - uses: cloud-access/cloud-access/grant@v1', '        with:', '          role: x'].join('\n'),
      ),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'missing input "cloud" which is required by action "cloud-access/cloud-access/grant@v1". all required inputs are "cloud"',
    ]);
  });

  it('read only the outputs the sub-action declares', () => {
    const problems = actionInputProblems(
      workflow(
        [
          '      - id: read',
          '        uses: cloud-access/cloud-access/report@v1',
          '        with:',
          '          cloud: aws',
          '      - run: echo "${{ steps.read.outputs.plan }} ${{ steps.read.outputs.drift }}"',
        ].join('\n'),
      ),
    );
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^property "drift" is not defined in the outputs of step "read"/),
    ]);
  });
});
