// Reconcile's first stage (operations/reconcile/reconcile-check.ts): what it checks before any
// sign-in, each stop as data the step says at its end. What users rely on: a manifest with no
// section for the step's cloud, or naming another instance than the input, stops with the fix; a
// fork's pull request is checked and skipped, unless its event is refused anyway; a manifest that
// passes comes back with its section and, on Azure, the marker its grants are written under.
import { describe, expect, it } from '@jest/globals';
import type { ConfigOf } from '../../../src/core/inputs/index.js';
import { planOnlyOn, reconcileEventOf, type RunEvent } from '../../../src/core/check/events.js';
import { signsInWithToken } from '../../../src/core/inputs/index.js';
import { checkReconcile } from '../../../src/operations/reconcile/reconcile-check.js';
import { config, MANIFEST, PUSH } from './in-memory-cloud.js';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const OTHER = 'arn:aws:sso:::instance/ssoins-0000000000000000';
const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000';
const AWS = `version: 1\naws:\n  manages: {permission-sets: [ReadOnly]}\n  instance-arn: ${INSTANCE}\n  assignments: []\n`;
const AZURE = `version: 1\nazure:\n  manages:\n    scopes: ['${SUB}']\n  assignments: []\n`;

/** The check of `text` as the manifest, for `step`'s config on `run`. */
async function check(text: string, step: ConfigOf<'reconcile'> = config(), run: RunEvent = PUSH) {
  const read: string[] = [];
  const checked = await checkReconcile(step, reconcileEventOf(step, run, signsInWithToken(step)), {
    readManifest: async (path) => {
      read.push(path);
      return { path, text };
    },
  });
  return { checked, read };
}

const problemsOf = (checked: Awaited<ReturnType<typeof check>>['checked']) =>
  'stopped' in checked ? checked.stopped : undefined;

describe("reconcile's checks before any sign-in", () => {
  it('reads the file the `manifest` input names and hands back its section for the cloud, with no marker on AWS', async () => {
    const { checked, read } = await check(AWS);
    expect(read).toEqual([MANIFEST]);
    expect(checked).toMatchObject({ section: { cloud: 'aws', instanceArn: INSTANCE }, marker: '' });
  });

  it('on Azure, hands back the marker that names the repository and the manifest', async () => {
    const azure = { ...config(), cloud: 'azure' } as ConfigOf<'reconcile'>;
    const { checked } = await check(AZURE, azure);
    expect(checked).toMatchObject({ marker: `cloud-access:octo-org/octo-repo:${MANIFEST}` });
  });

  it("stops at a manifest's errors, with their lines", async () => {
    const { checked } = await check('version: 2\n');
    expect(problemsOf(checked)).toMatchObject({
      invalid: {
        file: MANIFEST,
        problems: [
          { line: 1, message: '`version` must be `1`' },
          { line: 1, message: 'has neither an `aws` nor an `azure` section' },
        ],
      },
    });
  });

  it("refuses a manifest with no section for the step's cloud, naming the `manifest` input and the fix", async () => {
    const { checked } = await check(AZURE);
    const refused = problemsOf(checked) as { refused: { describe(): string }[] };
    expect(refused.refused.map((r) => r.describe())).toEqual([
      expect.stringMatching(
        /the manifest access\/manifest\.yml has no `aws` section.*add an `aws:` section, or set `cloud` to the section it has/,
      ),
    ]);
  });

  it('stops when the manifest and the `instance-arn` input name two instances, at the manifest’s line', async () => {
    const { checked } = await check(AWS, { ...config(), instanceArn: OTHER } as ConfigOf<'reconcile'>);
    expect(problemsOf(checked)).toMatchObject({
      invalid: {
        file: MANIFEST,
        problems: [{ line: 4 }],
        headline: 'the manifest and the inputs name two instances; nothing was requested from the cloud',
      },
    });
  });

  it("skips a fork's pull request, which has no OIDC token, once its manifest is checked", async () => {
    const { checked } = await check(AWS, config(), { eventName: 'pull_request', tokenEndpoint: undefined });
    expect(problemsOf(checked)).toEqual({
      skipped: expect.stringMatching(/^no OIDC token on this `pull_request` run/),
    });
  });

  it('a refused event without a token stays refused, not skipped', async () => {
    const run = { eventName: 'issue_comment', tokenEndpoint: undefined };
    expect(planOnlyOn(config(), run)).toHaveProperty('refused');
    const { checked } = await check(AWS, config(), run);
    const refused = problemsOf(checked) as { refused: { describe(): string }[] };
    expect(refused.refused[0]!.describe()).toMatch(/writes are refused on `issue_comment` events/);
  });

  it('checks the manifest before the event: a refused event with an invalid manifest says the manifest', async () => {
    const { checked } = await check('version: 2\n', config(), {
      eventName: 'issue_comment',
      tokenEndpoint: undefined,
    });
    expect(problemsOf(checked)).toHaveProperty('invalid');
  });
  it('passes a manifest that defines permission sets on to be planned', async () => {
    const { checked } = await check(
      `${AWS}  permission-sets:\n    - name: ReadOnly\n      session-duration: PT4H\n`,
    );
    expect(checked).toHaveProperty('section.permissionSets.definitions.0.name', 'ReadOnly');
  });
});
