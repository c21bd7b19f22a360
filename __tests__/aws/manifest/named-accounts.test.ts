// An account a reconcile's entry names by ID, over the emulated IAM Identity Center and
// Organizations through the real SDKs: where the targets had Organizations read anyway and it
// answers that account as not ACTIVE, the plan says so, in the OU expansion's words, at the line;
// the account is still planned, as written. An account ID alone costs no Organizations call.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { createAwsReconciler } from '../../../src/aws/reconcile.js';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { awsPlan, emulatedDeps, emulatedSso } from '../../harness/emulated-sso.js';

const sso = emulatedSso();
// The harness gives the SSO Admin and Identity Store endpoints; OU targets need Organizations' too
// (the harness puts the environment back after the file).
beforeAll(() => {
  process.env.AWS_ENDPOINT_URL_ORGANIZATIONS = sso.emulator.env.AWS_ENDPOINT_URL_ORGANIZATIONS;
});
// The emulator's organization: Root/Workloads/Dev holds 333333333333 (ACTIVE) and 444444444444 (SUSPENDED).
const SUSPENDED = '444444444444';

async function expand(targets: string[]) {
  const text = [
    'version: 1',
    'aws:',
    '  manages:',
    '    permission-sets: [ReadOnlyAccess]',
    '  assignments:',
    ...targets.map(
      (t) => `    - {principal: Deployers, principal-type: GROUP, role: ReadOnlyAccess, target: '${t}'}`,
    ),
  ].join('\n');
  const parsed = parseManifest('access.yml', text);
  if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
  const { deps, seams } = emulatedDeps(sso);
  const reconciler = createAwsReconciler(awsPlan(), parsed.manifest.aws!, deps, undefined, seams);
  await reconciler.prepare();
  return reconciler.expand();
}

const organizationsCalls = () =>
  sso.emulator.requests.filter((r) => r.service === 'organizations').map((r) => r.operation);

describe('an account an entry names by ID that Organizations reports SUSPENDED', () => {
  it('read anyway for an OU target: the plan says so at its line, and still plans it as written', async () => {
    const expansion = await expand(['Root/Workloads', SUSPENDED]);
    expect(expansion.problems).toEqual([]);
    expect(expansion.warnings).toEqual([
      {
        line: 7,
        message: `\`aws.assignments[1].target\`: ${SUSPENDED} (account-${SUSPENDED}): SUSPENDED, not ACTIVE in AWS Organizations, which an OU target leaves out: the entry names it, so its assignments are planned as written; if the account is closed or closing, remove it from the entry (a create there may fail)`,
      },
    ]);
    expect(expansion.desired.filter((d) => d.target === SUSPENDED)).toHaveLength(1);
    // The OU's own expansion says it left the account out, as before.
    expect(expansion.management?.join('\n')).toMatch(
      /left out: 444444444444 \(account-444444444444\): SUSPENDED, not ACTIVE/,
    );
  });

  it('named alone, by ID: no Organizations call is made to find out, and nothing is said', async () => {
    const expansion = await expand([SUSPENDED]);
    expect(expansion.warnings).toEqual([]);
    expect(expansion.desired).toHaveLength(1);
    expect(organizationsCalls()).toEqual([]);
  });
});
