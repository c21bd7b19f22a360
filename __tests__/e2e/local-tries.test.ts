// What a person trying the action on `npm run emulator` gets, through the bundle as the runner runs
// it: the Entra principals --help lists resolve by name; one control call stages a finished run's
// orphaned grant that a sweep dry run then says it would revoke; a report right after the example
// grant to the deploy identity names it; a group given members by one control call shows them in a
// report with `expand-groups`, and a group without any is said to have none; an access request
// staged in one call is granted on Azure, and each refusal the same call stages is refused, naming
// it; and a wrong `aws-region` fails there as on AWS, naming the input.
import { describe, expect, it } from '@jest/globals';
import { sampleDirectoryNames, seedSampleDirectory } from '../../emulator/azure/sample-directory.js';
import { CONTROL_CALLS } from '../../emulator/control-calls.js';
import { EXAMPLES, seedExamples } from '../../emulator/examples-seed.js';
import { helpText } from '../../emulator/help.js';
import { azure, azureInputs, awsInputs, READER, runMain, subscription, useEmulator } from './fixture.js';

const emulator = useEmulator();

interface SweepRow {
  kind: string;
  action: string;
  principal: string;
  target: string;
  run: { runId: string } | null;
}

/** The example --help shows for a control call, sent as a person would paste it. */
async function stageAsHelpShows(route: string): Promise<Record<string, unknown>> {
  const example = CONTROL_CALLS.find((c) => c.route === route)!.examples![0]!;
  expect(helpText()).toContain(`e.g. ${JSON.stringify(example)}`);
  const res = await fetch(`${emulator().endpoints.github}${route.split(' ')[1]}`, {
    method: 'POST',
    body: JSON.stringify(example),
  });
  expect(res.status).toBe(200);
  return example;
}

const sweepPlan = async (inputs: Record<string, string>) => {
  const step = await runMain(
    { ...inputs, operation: 'sweep', 'dry-run': 'true', 'github-token': emulator().github.runs.jobToken },
    { GITHUB_EVENT_NAME: 'schedule' },
  );
  expect(step.errors).toEqual([]);
  return JSON.parse(step.outputs.results!) as SweepRow[];
};

describe('the Entra directory --help lists', () => {
  it('resolves by name through Graph: every user, guest, group, service principal and managed identity', async () => {
    seedSampleDirectory(azure());
    const names = sampleDirectoryNames();
    for (const { name, id } of names) expect(helpText()).toContain(`${name} (${id})`);
    const step = await runMain(
      azureInputs({
        principal: names.map((n) => n.name).join('\n'),
        target: `${subscription()}/resourceGroups/rg-tries`,
        role: 'Reader',
      }),
    );
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    for (const { id } of names)
      expect(
        azure().findRoleAssignment(`${subscription()}/resourceGroups/rg-tries`, id, READER),
      ).toBeDefined();
  }, 60_000);
});

describe('the deploy identity the examples grant to', () => {
  it('a report right after its grant names it, and does not call the grant orphaned', async () => {
    seedExamples(emulator());
    const rgApp = `${subscription()}/resourceGroups/rg-app`;
    const grant = await runMain(
      azureInputs({
        principal: EXAMPLES.deployerObjectId,
        'principal-type': 'ServicePrincipal',
        target: rgApp,
        role: 'Contributor',
      }),
    );
    expect(grant.exitCode).toBe(0);
    const report = await runMain(azureInputs({ operation: 'report', target: rgApp }), {
      GITHUB_EVENT_NAME: 'schedule',
    });
    expect(report.errors).toEqual([]);
    // The seed's assignments above rg-app are rows too (inherited); the grant is the one held there.
    const heldThere = (JSON.parse(report.outputs.results!) as { inherited: string | null }[]).filter(
      (row) => row.inherited === null,
    );
    expect(heldThere).toEqual([
      expect.objectContaining({
        principalId: EXAMPLES.deployerObjectId,
        principalName: EXAMPLES.deployerName,
        held: 'permanent',
      }),
    ]);
  }, 60_000);
});

interface ReportRow {
  principalName: string | null;
  viaGroup: string | null;
}

/** A report with expand-groups: its rows through a group, as `user via group`, and its lines about groups. */
async function expandedReport(inputs: Record<string, string>) {
  const step = await runMain(
    { ...inputs, operation: 'report', 'expand-groups': 'true' },
    { GITHUB_EVENT_NAME: 'schedule' },
  );
  expect(step.errors).toEqual([]);
  const rows = JSON.parse(step.outputs.results!) as ReportRow[];
  return {
    via: rows.filter((r) => r.viaGroup).map((r) => `${r.principalName} via ${r.viaGroup}`),
    said: step.stdout.split('\n').filter((l) => l.includes('expand-groups:')),
    summary: step.summary,
  };
}

describe('group members, added by the control call --help shows', () => {
  it('AWS: a report with expand-groups shows them, and says which group has none', async () => {
    for (const group of ['Deployers', 'Platform'])
      expect(
        (
          await runMain(
            awsInputs({
              principal: group,
              'principal-type': 'GROUP',
              target: '111111111111',
              role: 'ReadOnlyAccess',
            }),
          )
        ).exitCode,
      ).toBe(0);
    await stageAsHelpShows('POST /_emulator/aws/group-members');
    const report = await expandedReport(awsInputs({}));
    expect(report.via.sort()).toEqual(['alice via Deployers', 'bob via Deployers']);
    expect(report.said).toEqual([
      expect.stringMatching(/expand-groups: group Platform \([^)]+\) has no user members/),
    ]);
    expect(report.summary).toMatch(/group Platform \([^)]+\) has no user members/);
  }, 60_000);

  it('Azure: a report with expand-groups shows them, and says which group has none', async () => {
    seedExamples(emulator());
    seedSampleDirectory(azure());
    const rgApp = `${subscription()}/resourceGroups/rg-app`;
    for (const group of [EXAMPLES.appReaders.id, EXAMPLES.appOwners.id])
      expect(
        (
          await runMain(
            azureInputs({ principal: group, 'principal-type': 'Group', target: rgApp, role: 'Reader' }),
          )
        ).exitCode,
      ).toBe(0);
    await stageAsHelpShows('POST /_emulator/azure/group-members');
    const report = await expandedReport(azureInputs({ target: rgApp }));
    expect(report.via).toEqual(['alice@contoso.com via app-readers']);
    expect(report.said).toEqual([
      expect.stringContaining(
        `expand-groups: group app-owners (${EXAMPLES.appOwners.id}) has no user members`,
      ),
    ]);
  }, 60_000);
});

describe('a finished run’s orphaned grant, staged in one call', () => {
  it('AWS: the sweep’s dry run would revoke it, and writes nothing', async () => {
    const staged = await stageAsHelpShows('POST /_emulator/aws/orphaned-grant');
    const rows = await sweepPlan(awsInputs({}));
    expect(rows.filter((r) => r.kind === 'revoke')).toEqual([
      expect.objectContaining({
        action: 'would revoke',
        target: staged.accountId,
        run: expect.objectContaining({ runId: staged.runId }),
      }),
    ]);
    expect(emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment')).toEqual([]);
  }, 60_000);

  it('Azure: the sweep’s dry run would revoke it, and writes nothing', async () => {
    seedSampleDirectory(azure());
    const staged = await stageAsHelpShows('POST /_emulator/azure/orphaned-grant');
    const rows = await sweepPlan(azureInputs({ target: String(staged.scope) }));
    expect(rows.filter((r) => r.kind === 'revoke')).toEqual([
      expect.objectContaining({
        action: 'would revoke',
        run: expect.objectContaining({ runId: staged.runId }),
      }),
    ]);
    expect(
      azure()
        .roleAssignments()
        .some((a) => a.properties.description?.includes(':run:801:1:e]')),
    ).toBe(true);
  }, 60_000);
});

describe('the IAM Identity Center instance lives in one Region', () => {
  const grant = { principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' };

  it.each([
    ['the instance discovered', {}],
    [
      'the instance and identity store given',
      {
        'instance-arn': 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
        'identity-store-id': 'd-1234567890',
      },
    ],
  ])(
    'a wrong `aws-region` fails there, naming `aws-region` (%s)',
    async (_, more) => {
      const step = await runMain(awsInputs({ ...grant, ...more, 'aws-region': 'eu-west-1' }));
      expect(step.exitCode).not.toBe(0);
      expect(step.errors.join('\n')).toMatch(/eu-west-1|does not exist/);
      expect(step.errors.join('\n')).toContain('`aws-region`');
      expect(emulator().requests.filter((r) => r.write)).toEqual([]);
    },
    60_000,
  );
});

describe('an access request, staged in one call', () => {
  const STAGE = 'POST /_emulator/github/access-request';
  const stage = async (body: Record<string, unknown>) => {
    const res = await fetch(`${emulator().endpoints.github}${STAGE.split(' ')[1]}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  };
  const request = (inputs: Record<string, string>) =>
    runMain(
      {
        ...inputs,
        operation: 'request',
        duration: '1h',
        justification: 'INC-42: the dashboards are down',
        'github-token': emulator().github.runs.jobToken,
      },
      { GITHUB_EVENT_NAME: 'workflow_dispatch' },
    );
  const examples = CONTROL_CALLS.find((c) => c.route === STAGE)!.examples!;

  it("Azure: the policy's Azure rule grants alice Reader on rg-app through PIM", async () => {
    await stage(examples[0]!);
    const step = await request(azureInputs({ rule: 'prod-reader' }));
    expect(step.errors).toEqual([]);
    const [pim] = azure().pim().requests;
    expect(pim!.properties).toMatchObject({
      requestType: 'AdminAssign',
      principalId: '0a11ce00-1b2c-4d3e-8f40-5a6b7c8d9e01',
    });
    expect(String(pim!.properties.scope)).toBe(`${subscription()}/resourceGroups/rg-app`);
  }, 60_000);

  it.each([
    [examples[1], /runs on `workflow_dispatch` only; this run's OIDC token says `event_name: push`/],
    [
      examples[2],
      /runs from the default branch \(`refs\/heads\/main`\); the run's OIDC token says `ref: refs\/heads\/feature`/,
    ],
    [examples[3], /`who` does not name `bob`/],
    [examples[4], /no approval for environment `production-access`/],
  ])(
    '%j is refused, naming why, before any cloud request',
    async (body, refusal) => {
      await stage(body!);
      const step = await request(awsInputs({ rule: 'prod-read' }));
      expect(step.exitCode).not.toBe(0);
      expect(step.errors.join('\n')).toMatch(refusal);
      expect(emulator().requests.filter((r) => r.write)).toEqual([]);
    },
    60_000,
  );
});
