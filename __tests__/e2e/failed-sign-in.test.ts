// A step whose sign-in fails (no `id-token: write`, a trust policy or federated credential that
// refuses the token, no credentials at all) still sets every output and writes the job summary, as
// one that failed a grant does: an `if: always()` step that reads `fromJSON(steps.x.outputs.results)`
// or `steps.x.outputs.status` must see FAILED and an empty list, not an empty string.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml, type ActionMetadata } from '../../scripts/workflows/play-workflow.js';
import { awsInputs, azureInputs, newPrincipal, runMain, subscription, useEmulator } from './fixture.js';

// A CA the step's process was not told to trust: only a process of its own shows it.
const emulator = useEmulator({ steps: 'processes' });
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
  [
    'Azure, the runner does not trust the CA that signed Entra’s certificate',
    // No NODE_EXTRA_CA_CERTS: the emulator's CA is trusted by nothing else.
    () =>
      runMain(azureInputs({ principal: newPrincipal(), target: subscription(), role: 'Reader' }), {
        NODE_EXTRA_CA_CERTS: '',
      }),
    'NODE_EXTRA_CA_CERTS',
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
    // Under the run's header: which step failed, in which run (linked), signing in as whom.
    expect(step.summary).toMatch(
      /^<h3>cloud-access: (aws|azure) assign failed<\/h3>\n<p><a href="https:\/\/github\.com\/octo-org\/octo-repo\/actions\/runs\/[^"]+">.*signs in to (AWS|Azure) /,
    );
    // Nothing was written to the cloud.
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
  });
});

describe('a certificate no trusted CA signed names the fix', () => {
  it('Entra’s: `NODE_EXTRA_CA_CERTS` and `authority-host`, at once rather than at the deadline', async () => {
    const started = Date.now();
    const step = await runMain(
      azureInputs({
        principal: newPrincipal(),
        target: subscription(),
        role: 'Reader',
        'timeout-seconds': '120',
      }),
      { NODE_EXTRA_CA_CERTS: '' },
    );
    expect(step.exitCode).toBe(1);
    const authority = azureInputs({})['authority-host']!;
    expect(step.errors.join('\n')).toMatch(
      new RegExp(
        `GetToken: the TLS certificate of ${authority.replace(/[.]/g, '\\.')} is not trusted \\((unable to verify the first certificate|self-signed certificate)`,
      ),
    );
    expect(step.errors.join('\n')).toMatch(
      /set `NODE_EXTRA_CA_CERTS` in the step's or the job's `env:` to the PEM file of the CA that signed that certificate \(with the emulator: the NODE_EXTRA_CA_CERTS path it printed\); or check `authority-host`/,
    );
    // The job summary shows the names as code.
    expect(step.summary).toContain('<code>NODE_EXTRA_CA_CERTS</code>');
    expect(step.summary).toContain('<code>authority-host</code>');
    // Not retried until `timeout-seconds`: retrying cannot make the certificate trusted.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
