// A step whose sign-in fails (no `id-token: write`, a trust policy or federated credential that
// refuses the token, no credentials at all) still sets every output and writes the job summary, as
// one that failed a grant does: an `if: always()` step that reads `fromJSON(steps.x.outputs.results)`
// or `steps.x.outputs.status` must see FAILED and an empty list, not an empty string.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml, type ActionMetadata } from '../../scripts/play-workflow.js';
import { awsInputs, azureInputs, newPrincipal, runMain, subscription, useEmulator } from './fixture.js';

const emulator = useEmulator();
const action = parseYaml(
  readFileSync(join(import.meta.dirname, '..', '..', 'action.yml'), 'utf8'),
) as ActionMetadata;

const grant = { principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' };
const noOidc = { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' };

/** [what failed, the step's run, words of the reason]. */
const FAILED_SIGN_INS: [string, () => ReturnType<typeof runMain>, string][] = [
  ['AWS, the job has no `id-token: write`', () => runMain(awsInputs(grant), noOidc), 'id-token: write'],
  [
    'AWS, the role’s trust policy refuses the token',
    () => runMain(awsInputs({ ...grant, audience: 'https://github.com/octo-org' })),
    'could not assume role',
  ],
  [
    'AWS, no role to assume and no ambient credentials',
    () =>
      runMain(
        { cloud: 'aws', 'aws-region': 'us-east-1', ...grant },
        // Nothing for the default chain to find, and no instance metadata service to ask.
        { AWS_EC2_METADATA_DISABLED: 'true', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
      ),
    'no AWS credentials were found',
  ],
  [
    'Azure, the job has no `id-token: write`',
    () => runMain(azureInputs({ principal: newPrincipal(), target: subscription(), role: 'Reader' }), noOidc),
    'id-token: write',
  ],
  [
    'Azure, Entra knows no such application',
    () =>
      runMain(
        azureInputs({
          principal: newPrincipal(),
          target: subscription(),
          role: 'Reader',
          'client-id': '99999999-9999-4999-8999-999999999999',
        }),
      ),
    'AADSTS700016',
  ],
];

describe('a failed sign-in still sets every output and the job summary', () => {
  it.each(FAILED_SIGN_INS)('%s', async (_what, run, reason) => {
    const step = await run();
    expect(step.exitCode).toBe(1);
    expect(step.errors.join('\n')).toContain(reason);

    // Every output action.yml declares is set, so no expression reads an empty string by surprise.
    expect(Object.keys(step.outputs).sort()).toEqual(Object.keys(action.outputs ?? {}).sort());
    expect(step.outputs).toMatchObject({
      status: 'FAILED',
      changed: 'false',
      results: '[]',
      'request-id': '',
    });
    expect(JSON.parse(step.outputs.results!)).toEqual([]); // fromJSON(steps.x.outputs.results)
    expect(step.outputs['failure-reason']).toContain(reason);

    expect(step.summary).toContain('nothing was granted or revoked');
    expect(step.summary).toContain(reason);
    // Nothing was written to the cloud.
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
  });
});
