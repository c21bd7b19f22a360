// What the AWS reconcile suites share: a workspace that holds the manifest, the bundled main step
// run on it, and the emulator's state as the assertions read it.
import { afterAll } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '../../emulator/index.js';
import { awsInputs, runMain } from './fixture.js';

export function awsReconcileWorkspace(emulator: () => Emulator, prefix: string) {
  const workspace = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));
  const aws = () => emulator().aws;
  return {
    workspace,
    /** The main step with `manifest` as access.yml in the workspace. */
    reconcile(manifest: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
      writeFileSync(join(workspace, 'access.yml'), manifest);
      return runMain(awsInputs({ operation: 'reconcile', manifest: 'access.yml', ...inputs }), {
        GITHUB_WORKSPACE: workspace,
        ...env,
      });
    },
    /** A group's assignment of a permission set (by name, or by ARN) in an account. */
    group: (name: string, permissionSet: string, accountId = '111111111111') => ({
      accountId,
      permissionSetArn: permissionSet.startsWith('arn:')
        ? permissionSet
        : aws().permissionSetArn(permissionSet),
      principalType: 'GROUP' as const,
      principalId: aws().groupId(name),
    }),
    writes: () => emulator().requests.filter((r) => r.write),
    results: (outputs: Record<string, string>) =>
      JSON.parse(outputs.results ?? '[]') as Record<string, unknown>[],
  };
}
