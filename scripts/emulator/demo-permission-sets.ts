// `npm run demo`'s permission-set content as code: examples/access/permission-sets.yml applied (its
// two sets created, then their assignments), then its Deployer set's inline policy edited and
// applied again: the update with the policy's line diff and what it allows (policy-checks, the
// emulator's Access Analyzer: `widens access`, quoting the statement), provisioned to the accounts
// the set reaches. In a copy of examples/access/, so the edit leaves the repository's file as it is.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '../../emulator/index.js';
import { runStep } from '../../harness/action-runner.js';
import { bold, show } from './demo-show.js';
import { scratchFolder } from './scratch.js';

const EXAMPLES_ACCESS = join(import.meta.dirname, '..', '..', 'examples', 'access');
const EDITED = ['"cloudformation:ExecuteChangeSet",', '"cloudformation:DeleteChangeSet",'] as const;

export async function showPermissionSets(
  emulator: Emulator,
  awsInputs: Record<string, string>,
): Promise<void> {
  console.log(
    `\n${bold('AWS IAM Identity Center: permission-set content as code (examples/access/permission-sets.yml)')}`,
  );
  const workspace = scratchFolder('cloud-access-demo-sets-');
  try {
    cpSync(EXAMPLES_ACCESS, join(workspace, 'access'), { recursive: true });
    const apply = () =>
      runStep('main', {
        inputs: {
          ...awsInputs,
          'role-to-assume': 'arn:aws:iam::123456789012:role/access-apply',
          operation: 'reconcile',
          manifest: 'access/permission-sets.yml',
        },
        env: { ...emulator.env, GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'push' },
      });
    show('push to main: the apply creates both sets, then their assignments', await apply(), {
      brief: true,
    });

    const policy = join(workspace, 'access', 'policies', 'deployer.json');
    const text = readFileSync(policy, 'utf8');
    if (!text.includes(EDITED[0])) throw new Error(`${policy} no longer has ${EDITED[0]}`);
    writeFileSync(policy, text.replace(EDITED[0], `${EDITED[0]}\n        ${EDITED[1]}`));
    console.log(
      '\n  a pull request edits access/policies/deployer.json: Deployer may also delete a change set (cloudformation:DeleteChangeSet)',
    );
    show(
      "push to main: the apply updates Deployer's inline policy (its plan says it widens access), then provisions it to the accounts it reaches",
      await apply(),
      { brief: true },
    );
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}
