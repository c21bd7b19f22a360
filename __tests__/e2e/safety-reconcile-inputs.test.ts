// A reconcile whose inputs, event or manifest a hostile reviewer
// chose. Each attack runs through the bundle as the runner runs it, against the emulator, and
// must end with nothing written that the reviewed manifest did not ask for.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runStep } from '../../harness/action-runner.js';
import {
  accounts,
  awsInputs,
  azure,
  azureInputs,
  newPrincipal,
  OWNER,
  READER,
  runMain,
  subscription,
  useEmulator,
  watched,
} from './fixture.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator();
const { reconcile, group, writes } = awsReconcileWorkspace(emulator, 'reconcile-inputs-aws-');
const aws = () => emulator().aws;

const MANIFEST = `version: 1
aws:
  manages:
    permission-sets: [ReadOnlyAccess, ViewOnlyAccess]
  assignments:
    - principal: Deployers
      principal-type: GROUP
      role: ReadOnlyAccess
      target: 111111111111
`;

describe('writes only on events that run reviewed code of the repository (item 3)', () => {
  const notices = (step: { log: string[] }) =>
    step.log.filter((l) => l.startsWith('::notice::')).map((l) => l.slice('::notice::'.length));

  it.each(['pull_request', 'merge_group'])(
    '`%s` plans as with `dry-run`: nothing is written, a notice says why, and the step passes',
    async (event) => {
      aws().addAssignment(group('Platform', 'ReadOnlyAccess')); // managed and unlisted: a delete
      const step = await reconcile(MANIFEST, {}, { GITHUB_EVENT_NAME: event });
      expect(step.errors).toEqual([]);
      expect(step.exitCode).toBe(0);
      expect(writes()).toEqual([]);
      expect(aws().hasAssignment(group('Platform', 'ReadOnlyAccess'))).toBe(true);
      expect(aws().hasAssignment(group('Deployers', 'ReadOnlyAccess'))).toBe(false);
      expect(JSON.parse(step.outputs.plan!)).toMatchObject({ create: 1, delete: 1 });
      expect(step.outputs.drift).toBe('true');
      expect(notices(step)).toEqual([
        expect.stringMatching(
          new RegExp(`^nothing was written: on \`${event}\` events a reconcile plans only`),
        ),
      ]);
      expect(step.summary).toContain('cloud-access: aws reconcile (dry run)');
    },
  );

  it.each([
    'pull_request_target',
    'issue_comment',
    'workflow_run',
    'pull_request_review',
    'pull_request_review_comment',
    'check_run',
    'check_suite',
    'deployment',
    'a_future_event',
  ])(
    '`%s` is refused: the plan is shown, nothing is written, and the step fails naming the fix',
    async (event) => {
      aws().addAssignment(group('Platform', 'ReadOnlyAccess')); // managed and unlisted: a delete
      const step = await reconcile(MANIFEST, {}, { GITHUB_EVENT_NAME: event });
      expect(step.exitCode).not.toBe(0);
      expect(emulator().requests.length).toBeGreaterThan(0); // the plan was read
      expect(writes()).toEqual([]);
      expect(aws().hasAssignment(group('Platform', 'ReadOnlyAccess'))).toBe(true);
      expect(aws().hasAssignment(group('Deployers', 'ReadOnlyAccess'))).toBe(false);
      expect(JSON.parse(step.outputs.plan!)).toMatchObject({ create: 1, delete: 1 });
      expect(step.summary).toContain('plan refused');
      expect(step.summary).toMatch(/would delete; FAILED: not run, the plan was refused/);
      expect(step.errors.join('\n')).toMatch(new RegExp(`\`${event}\`.*dry-run: true`));
    },
  );

  it('a run whose event is not known (GITHUB_EVENT_NAME empty) is refused too, and writes nothing', async () => {
    aws().addAssignment(group('Platform', 'ReadOnlyAccess'));
    const step = await reconcile(MANIFEST, {}, { GITHUB_EVENT_NAME: '' });
    expect(step.exitCode).not.toBe(0);
    expect(writes()).toEqual([]);
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ create: 1, delete: 1 });
    expect(aws().hasAssignment(group('Platform', 'ReadOnlyAccess'))).toBe(true);
    expect(step.errors.join('\n')).toMatch(/GITHUB_EVENT_NAME/);
  });

  it('the plan-only events still get the plan with `dry-run: true`, without the notice', async () => {
    aws().addAssignment(group('Platform', 'ReadOnlyAccess'));
    const step = await reconcile(MANIFEST, { 'dry-run': 'true' }, { GITHUB_EVENT_NAME: 'merge_group' });
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ create: 1, delete: 1 });
    expect(writes()).toEqual([]);
    expect(notices(step)).toEqual([]);
  });

  it.each(['push', 'schedule', 'workflow_dispatch', 'repository_dispatch', 'release'])(
    '`%s` applies',
    async (event) => {
      aws().addAssignment(group('Platform', 'ReadOnlyAccess'));
      const step = await reconcile(MANIFEST, {}, { GITHUB_EVENT_NAME: event });
      expect(step.errors).toEqual([]);
      expect(step.exitCode).toBe(0);
      expect(aws().hasAssignment(group('Platform', 'ReadOnlyAccess'))).toBe(false);
      expect(aws().hasAssignment(group('Deployers', 'ReadOnlyAccess'))).toBe(true);
    },
  );
});

describe('an empty string is never a value (item 6)', () => {
  it.each([
    ['principal: ""', 10],
    ["principal: ['']", 10],
    ['principal: [Auditors, ""]', 10],
  ])('`%s` is an error on its line, and the entry’s assignments are not deleted', async (written, line) => {
    aws().addAssignment(group('Deployers', 'ReadOnlyAccess'));
    aws().addAssignment(group('Auditors', 'ViewOnlyAccess'));
    const step = await reconcile(
      `${MANIFEST}    - ${written}
      principal-type: GROUP
      role: ViewOnlyAccess
      target: 111111111111
`,
    );
    expect(step.exitCode).not.toBe(0);
    expect(emulator().requests).toEqual([]);
    expect(aws().hasAssignment(group('Auditors', 'ViewOnlyAccess'))).toBe(true);
    expect(step.stdout).toContain(`::error file=access.yml,line=${line}::`);
    expect(step.errors.join('\n')).toMatch(/`aws\.assignments\[1\]\.principal`.*empty/);
  });
});

describe('a small manifest with a huge product fails fast (item 9)', () => {
  it('300 principals × 300 permission sets × 300 accounts: the limit, the entry and its line, before any request', async () => {
    const names = (prefix: string) => Array.from({ length: 300 }, (_, i) => `${prefix}${i}`);
    const manifest = `version: 1
aws:
  manages: {permission-sets: [ReadOnlyAccess]}
  assignments:
    - principal: [${names('u').join(',')}]
      role: [${names('P').join(',')}]
      target: [${accounts(300).join(',')}]
`;
    expect(Buffer.byteLength(manifest)).toBeLessThan(10_000);
    const workspace = mkdtempSync(join(tmpdir(), 'reconcile-product-'));
    try {
      writeFileSync(join(workspace, 'access.yml'), manifest);
      const { options, watch } = watched(
        {
          inputs: awsInputs({ operation: 'reconcile', manifest: 'access.yml' }),
          env: { ...emulator().env, GITHUB_WORKSPACE: workspace },
        },
        20_000,
      );
      const step = await runStep('main', options);
      expect(watch.killed).toBe(false);
      expect(step.exitCode).toBe(1);
      // The count is the product of the entry's lists (the walk over 27,000,000 duplicates it
      // replaced took 32 s, past the watch's kill); how fast is the machine's, not asserted.
      expect(step.stdout).toContain('::error file=access.yml,line=5::');
      const text = step.errors.join('\n').replace(/[,\u202f]/g, '');
      expect(text).toMatch(/`aws\.assignments\[0\]`.*27000000.*at most 20000/);
      expect(emulator().requests).toEqual([]);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('Azure ownership markers: one marker, one manifest path (item 4)', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'reconcile-inputs-azure-'));
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));
  const rg = () => `${subscription()}/resourceGroups/rg-app`;
  const markerOf = (path: string) => `cloud-access:octo-org/octo-repo:${path}`;
  const reconcileAt = (path: string, manifest: string) => {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), manifest);
    return runMain(azureInputs({ operation: 'reconcile', manifest: path }), { GITHUB_WORKSPACE: workspace });
  };
  const listing = (principal: string) => `version: 1
azure:
  manages:
    scopes: [${rg()}]
  assignments:
    - {principal: ${principal}, principal-type: Group, role: Reader, target: ${rg()}}
`;
  const marked = (description: string) => {
    const principal = newPrincipal('Group');
    azure().addRoleAssignment({ scope: rg(), roleDefinitionId: READER, principalId: principal, description });
    return principal;
  };
  const has = (principal: string) => azure().findRoleAssignment(rg(), principal, READER) !== undefined;

  it.each([
    'access\\prod.yml',
    'access/prod.yml)old.yml',
    'access/[prod].yml',
    'access/prod .yml',
    'access/run:1:1:e.yml',
  ])('a manifest path that could read as another (`%s`) is refused before any request', async (path) => {
    const prod = marked(`[${markerOf('access/prod.yml')}]`);
    const step = await reconcileAt(path, listing(newPrincipal('Group')));
    expect(step.exitCode).not.toBe(0);
    expect(emulator().requests).toEqual([]);
    expect(has(prod)).toBe(true);
    expect(step.errors.join('\n')).toMatch(/input `manifest`/);
  });

  it('on `pull_request_target` the plan is read and shown, the owned assignment is not deleted, and the step fails', async () => {
    const own = marked(`dropped [${markerOf('access/prod.yml')}]`);
    mkdirSync(join(workspace, 'access'), { recursive: true });
    writeFileSync(join(workspace, 'access/prod.yml'), listing(newPrincipal('Group')));
    const step = await runMain(azureInputs({ operation: 'reconcile', manifest: 'access/prod.yml' }), {
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_NAME: 'pull_request_target',
    });
    expect(step.exitCode).not.toBe(0);
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
    expect(has(own)).toBe(true);
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ create: 1, delete: 1 });
    expect(step.summary).toContain('cloud-access: azure reconcile: plan refused');
    expect(step.errors.join('\n')).toMatch(
      /writes are refused on `pull_request_target` events.*dry-run: true/,
    );
  });

  it("another path's marker that starts with this one's is not this manifest's: brackets, parentheses and spaces are not boundaries", async () => {
    const others = [
      `[${markerOf('access/prod.yml)old.yml')}]`,
      `[${markerOf('access/prod.yml]old.yml')}]`,
      `(${markerOf('access/prod.yml')})`,
      `[${markerOf('access/prod.yml old.yml')}]`,
      `[${markerOf('access/prod.yml')}(old)]`,
    ].map(marked);
    const own = marked(`dropped [${markerOf('access/prod.yml')}]`);
    const step = await reconcileAt('access/prod.yml', listing(newPrincipal('Group')));
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      create: 1,
      delete: 1,
      unchanged: 0,
      unmanaged: 5,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(has(own)).toBe(false);
    expect(others.map(has)).toEqual([true, true, true, true, true]);
  });
});

describe('`mode: full` exceptions must each match an assignment under the scopes (item 5)', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'reconcile-exceptions-'));
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));
  const rg = () => `${subscription()}/resourceGroups/rg-app`;
  const full = (exceptions: string[]) => {
    writeFileSync(
      join(workspace, 'access.yml'),
      `version: 1
azure:
  manages:
    scopes: [${rg()}]
    mode: full
    exceptions:
${exceptions.map((e) => `      - ${e}\n`).join('')}  assignments:
    - {principal: ${newPrincipal('Group')}, principal-type: Group, role: Reader, target: ${rg()}}
`,
    );
    return runMain(azureInputs({ operation: 'reconcile', manifest: 'access.yml' }), {
      GITHUB_WORKSPACE: workspace,
    });
  };
  const oneDigitOff = (id: string) => id.replace(/[0-9a-f](?=[^/]*$)/, (c) => (c === '0' ? '1' : '0'));

  it('an exception one digit off is an error on its line, and the break-glass Owner is not deleted', async () => {
    const breakGlass = azure().addRoleAssignment({
      scope: rg(),
      roleDefinitionId: OWNER,
      principalId: newPrincipal('User'),
    });
    const kept = azure().addRoleAssignment({
      scope: rg(),
      roleDefinitionId: READER,
      principalId: newPrincipal('User'),
    });
    const step = await full([kept.id, oneDigitOff(breakGlass.id)]);
    expect(step.exitCode).not.toBe(0);
    expect(writes()).toEqual([]);
    expect(azure().findRoleAssignment(rg(), breakGlass.properties.principalId, OWNER)).toBeDefined();
    expect(step.stdout).toContain('::error file=access.yml,line=8::');
    expect(step.errors.join('\n')).toMatch(/`azure\.manages\.exceptions`.*matches no role assignment/);
    // With the digit right, the plan runs and keeps both.
    const fixed = await full([kept.id, breakGlass.id]);
    expect(fixed.errors).toEqual([]);
    expect(azure().findRoleAssignment(rg(), breakGlass.properties.principalId, OWNER)).toBeDefined();
  });

  it('an exception outside the managed scopes is an error on its line, before any request', async () => {
    const elsewhere = `${subscription()}/resourceGroups/rg-other/providers/Microsoft.Authorization/roleAssignments/00000000-0000-0000-0000-00000000000a`;
    const step = await full([elsewhere]);
    expect(step.exitCode).not.toBe(0);
    expect(emulator().requests).toEqual([]);
    expect(step.stdout).toContain('::error file=access.yml,line=7::');
    expect(step.errors.join('\n')).toMatch(/not at or under any of `azure\.manages\.scopes`/);
  });
});
