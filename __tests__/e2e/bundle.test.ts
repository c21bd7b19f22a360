// The bundle as the runner runs it (action.yml's entries, in the folder `npm run package` fills):
// what each step loads before it does its work, and what the bundle holds.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleDir, runStep, stepEntry, type RunOptions, type StepRun } from '../../harness/action-runner.js';
import { asJobEnv, awsAssignment, awsInputs, azureInputs, READER, runMain, useEmulator } from './fixture.js';
import { SUB_ACTION_NAMES } from '../../scripts/actions/sub-actions.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });

/**
 * Runs a step with a hook that records every file it loads (the entry, the action, its chunks), and
 * those it had loaded when it opened its first connection (none: it opened none).
 */
async function runWatched(
  step: 'main' | 'post',
  options: RunOptions,
): Promise<
  StepRun & { loaded: string[]; beforeFirstConnection: string[]; builtinsBeforeFirstConnection: string[] }
> {
  const dir = mkdtempSync(join(tmpdir(), 'loaded-'));
  const out = join(dir, 'files.json');
  try {
    const run = await runStep(step, {
      ...options,
      env: { ...options.env, LOADED_FILES: out },
      nodeArgs: ['--import', join(import.meta.dirname, 'loaded-files.mjs')],
    });
    const files = JSON.parse(readFileSync(out, 'utf8')) as {
      loaded: string[];
      beforeFirstConnection?: string[];
      builtinsBeforeFirstConnection?: string[];
    };
    const paths = (urls: string[] = []) => urls.map((url) => fileURLToPath(url));
    return {
      ...run,
      loaded: paths(files.loaded),
      beforeFirstConnection: paths(files.beforeFirstConnection),
      builtinsBeforeFirstConnection: files.builtinsBeforeFirstConnection ?? [],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bundle's JavaScript files that hold `marker` (a name the minified bundle keeps, quoted). */
function filesHolding(marker: string): string[] {
  return readdirSync(bundleDir())
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(bundleDir(), f))
    .filter((f) => readFileSync(f, 'utf8').includes(marker));
}

/** The SDK clients whose code a step loaded, by the class each chunk defines. */
function clientsLoaded(files: string[]): string[] {
  const clients = ['SSOAdminClient', 'IdentitystoreClient', 'AuthorizationManagementClient'];
  const code = files.map((file) => readFileSync(file, 'utf8')).join('\n');
  // A class is named in the minified bundle by its kept name (`__name(c, "SSOAdminClient")`).
  return clients.filter((client) => code.includes(`class ${client} `) || code.includes(`"${client}")`));
}

const aliceReadOnly = (extra: Record<string, string> = {}) =>
  awsInputs({ principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess', ...extra });
const nonceOf = (state: Record<string, string>) =>
  (JSON.parse(state['cloud-access'] ?? '{}') as { nonce?: string }).nonce;

describe('the post step, which runs in every job that uses the action', () => {
  it('after a main step without revoke-on-exit: one debug line, exit 0, and the action is never loaded, whatever entries the job planted', async () => {
    // Another step's saved grant, planted in the job's environment through GITHUB_ENV.
    const other = await runMain(aliceReadOnly({ 'revoke-on-exit': 'true' }));
    expect(other.exitCode).toBe(0);
    const main = await runMain(aliceReadOnly({ target: '222222222222' }));
    expect(main.exitCode).toBe(0);
    expect(Object.keys(main.state)).toEqual(['cloud-access']);
    emulator().requests.length = 0;

    const post = await runWatched('post', {
      inputs: aliceReadOnly({ 'revoke-on-exit': 'true' }),
      env: { ...emulator().env, ...asJobEnv(other.state) },
      state: main.state,
    });
    expect(post.exitCode).toBe(0);
    expect(post.log).toEqual([
      '::debug::revoke-on-exit was off for the main step (or it failed before its first request): the post step revokes nothing',
    ]);
    expect(post.loaded).toEqual([stepEntry('post')]);
    expect(emulator().requests).toEqual([]);
    expect(emulator().aws.hasAssignment(awsAssignment('111111111111'))).toBe(true);
  });

  it('with revoke-on-exit on and no grant saved: one debug line, exit 0, and the action is never loaded', async () => {
    // What a main step leaves when its inputs were invalid: only the header it claims first.
    const main = await runMain(aliceReadOnly({ 'revoke-on-exit': 'true', target: 'not-an-account' }));
    expect(main.exitCode).toBe(1);
    expect(Object.keys(main.state)).toEqual(['cloud-access']);

    const post = await runWatched('post', {
      inputs: aliceReadOnly({ 'revoke-on-exit': 'true' }),
      env: emulator().env,
      state: main.state,
    });
    expect(post.exitCode).toBe(0);
    expect(post.log).toEqual([
      '::debug::revoke-on-exit: the main step saved no grants, so there is nothing to revoke',
    ]);
    expect(post.loaded).toEqual([stepEntry('post')]);
    expect(emulator().requests).toEqual([]);
  });

  it('with a grant to revoke: loads the action, and revokes the grant', async () => {
    const inputs = aliceReadOnly({ 'revoke-on-exit': 'true' });
    const main = await runMain(inputs);
    expect(main.exitCode).toBe(0);

    const post = await runWatched('post', { inputs, env: emulator().env, state: main.state });
    expect(post.exitCode).toBe(0);
    expect(post.loaded).toContain(join(bundleDir(), 'index.js'));
    expect(emulator().aws.hasAssignment(awsAssignment('111111111111'))).toBe(false);
  });
});

describe('the main step', () => {
  it('runs as a main step whatever STATE_* variables its environment holds', async () => {
    const earlier = await runMain(aliceReadOnly({ 'revoke-on-exit': 'true' }));
    expect(earlier.exitCode).toBe(0);
    emulator().requests.length = 0;

    // The state the runner would hand that step's post step, given to a main step instead.
    const main = await runStep('main', {
      inputs: aliceReadOnly({ 'revoke-on-exit': 'true', target: '222222222222' }),
      env: emulator().env,
      state: earlier.state,
    });
    expect(main.exitCode).toBe(0);
    expect(main.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    expect(
      emulator()
        .requests.filter((r) => r.write)
        .map((r) => r.operation),
    ).toEqual(['CreateAccountAssignment']);
    expect(emulator().aws.hasAssignment(awsAssignment('111111111111'))).toBe(true);
    expect(emulator().aws.hasAssignment(awsAssignment('222222222222'))).toBe(true);
    // It saved a state of its own, for its own post step.
    expect(nonceOf(main.state)).toMatch(/^[0-9a-f]{32}$/);
    expect(nonceOf(main.state)).not.toBe(nonceOf(earlier.state));
  });

  it('on AWS with principals given by ID loads the Identity Store client to confirm their type: no Azure SDK', async () => {
    const main = await runWatched('main', {
      inputs: aliceReadOnly({ principal: emulator().aws.userId('alice') }),
      env: emulator().env,
    });
    expect(main.exitCode).toBe(0);
    expect(emulator().requests.map((r) => r.operation)).toContain('DescribeUser');
    expect(clientsLoaded(main.loaded)).toEqual(['SSOAdminClient', 'IdentitystoreClient']);
  });

  it('on AWS loads neither Octokit nor the CloudTrail client, which only `operation: sweep` uses', async () => {
    const sweepOnly = [...filesHolding('octokit-core.js'), ...filesHolding('"CloudTrailClient")')];
    expect(sweepOnly.length).toBeGreaterThanOrEqual(2);
    const main = await runWatched('main', { inputs: aliceReadOnly(), env: emulator().env });
    expect(main.exitCode).toBe(0);
    expect(main.loaded.filter((f) => sweepOnly.includes(f))).toEqual([]);
  });

  it('on AWS with a principal given by name loads the Identity Store client too', async () => {
    const main = await runWatched('main', { inputs: aliceReadOnly(), env: emulator().env });
    expect(main.exitCode).toBe(0);
    expect(emulator().requests.map((r) => r.operation)).toContain('GetUserId');
    expect(clientsLoaded(main.loaded)).toEqual(['SSOAdminClient', 'IdentitystoreClient']);
  });

  it('on Azure loads the Azure SDK only', async () => {
    const azure = emulator().azure!;
    const main = await runWatched('main', {
      inputs: azureInputs({
        principal: azure.addPrincipal({ type: 'User', createdAt: 0 }),
        target: `/subscriptions/${azure.subscriptionId}`,
        role: READER,
      }),
      env: emulator().env,
    });
    expect(main.exitCode).toBe(0);
    expect(clientsLoaded(main.loaded)).toEqual(['AuthorizationManagementClient']);
  });

  it("for an assign, on AWS and on Azure, loads no other operation's code, nor the audit trail or the YAML parser, and before its first request (the OIDC token) not even the other cloud's input parser, the clouds' adapters, the call runner, the calls' progress, the other operations' sessions, the audit trail's set-up or the post step's code and its checks of the saved state: what most jobs run reads and evaluates none of it before that request", async () => {
    // Each by a name the minified bundle keeps: each operation's entry, the trail, the manifests' parser.
    const notForAssign = [
      '"runReport"',
      '"runReconcile"',
      '"runSweep"',
      '"runProvision"',
      '"runRequest"',
      '"runRevokeOnExit"',
      '"AuditTrail"',
      '"parseDocument"',
    ];
    expect(notForAssign.filter((marker) => filesHolding(marker).length === 0)).toEqual([]);
    const loadedOf = (run: { loaded: string[] }) =>
      notForAssign.filter((marker) => filesHolding(marker).some((f) => run.loaded.includes(f)));
    // What a signed-in session uses once its token request is on the wire: the adapters' table, the
    // runner of the cloud's calls and their progress; what only other steps use: the other
    // operations' sessions (a report's, an access request's), `audit-log`'s set-up, and the post
    // step's reading of its state and its checks of it (the header's, the saved settings').
    const afterFirstRequest = [
      '"adapterOf"',
      '"createCallRunner"',
      '"CallActivity"',
      '"reportSources"',
      '"requestSources"',
      '"openAuditTrail"',
      '"instanceHandedOver"',
      '"parseSavedState"',
      '"parseSettings"',
    ];
    expect(afterFirstRequest.filter((marker) => filesHolding(marker).length === 0)).toEqual([]);
    // Nor the other cloud's input parser.
    const parserOf = { aws: '"parseAwsInputs"', azure: '"parseAzureInputs"' };
    expect(Object.values(parserOf).filter((marker) => filesHolding(marker).length === 0)).toEqual([]);
    const loadedBeforeFirstRequest = (
      run: { beforeFirstConnection: string[] },
      otherCloud: 'aws' | 'azure',
    ) => {
      expect(run.beforeFirstConnection).toContain(join(bundleDir(), 'index.js'));
      return [...afterFirstRequest, parserOf[otherCloud]].filter((marker) =>
        filesHolding(marker).some((f) => run.beforeFirstConnection.includes(f)),
      );
    };

    const aws = await runWatched('main', { inputs: aliceReadOnly(), env: emulator().env });
    expect(aws.outputs.status).toBe('SUCCEEDED');
    expect(loadedOf(aws)).toEqual([]);
    expect(loadedBeforeFirstRequest(aws, 'azure')).toEqual([]);
    const azure = emulator().azure!;
    const onAzure = await runWatched('main', {
      inputs: azureInputs({
        principal: azure.addPrincipal({ type: 'User', createdAt: 0 }),
        target: `/subscriptions/${azure.subscriptionId}`,
        role: READER,
      }),
      env: emulator().env,
    });
    expect(onAzure.outputs.status).toBe('SUCCEEDED');
    expect(loadedOf(onAzure)).toEqual([]);
    expect(loadedBeforeFirstRequest(onAzure, 'aws')).toEqual([]);
  });

  it("before its first request, on AWS and on Azure, loads none of Node's modules that request does not need: not WebCrypto, node:v8 or timers/promises, which an ES import of a built-in module or a module's top-level require would load as the step starts", async () => {
    // Each is loaded later, or never, by what needs it: a sleep, the young generation's setting once
    // the cloud's SDK is loaded. node:crypto itself is loaded by node:https, which the request needs.
    // (node:module is not looked for: the preload that watches the step imports it.)
    const notYet = ['internal/crypto/webcrypto', 'v8', 'timers/promises'];
    const azure = emulator().azure!;
    for (const inputs of [
      aliceReadOnly(),
      azureInputs({
        principal: azure.addPrincipal({ type: 'User', createdAt: 0 }),
        target: `/subscriptions/${azure.subscriptionId}`,
        role: READER,
      }),
    ]) {
      const run = await runWatched('main', { inputs, env: emulator().env });
      expect(run.outputs.status).toBe('SUCCEEDED');
      expect(run.builtinsBeforeFirstConnection).toContain('https');
      expect(notYet.filter((name) => run.builtinsBeforeFirstConnection.includes(name))).toEqual([]);
    }
  });

  it('on Azure loads the subscriptions SDK only for a report, which names a subscription by its display name', async () => {
    const subscriptionsSdk = filesHolding('azsdk-js-arm-resources-subscriptions');
    expect(subscriptionsSdk.length).toBeGreaterThanOrEqual(1);
    const azure = emulator().azure!;
    const target = `/subscriptions/${azure.subscriptionId}`;
    const grant = await runWatched('main', {
      inputs: azureInputs({
        principal: azure.addPrincipal({ type: 'User', createdAt: 0 }),
        target,
        role: READER,
      }),
      env: emulator().env,
    });
    expect(grant.exitCode).toBe(0);
    expect(grant.loaded.filter((f) => subscriptionsSdk.includes(f))).toEqual([]);
    const report = await runWatched('main', {
      inputs: azureInputs({ operation: 'report', target }),
      env: { ...emulator().env, GITHUB_EVENT_NAME: 'schedule' },
    });
    expect(report.exitCode).toBe(0);
    expect(report.loaded.filter((f) => subscriptionsSdk.includes(f)).length).toBeGreaterThanOrEqual(1);
  });
});

describe('the bundle', () => {
  const files = () => readdirSync(bundleDir()).sort();

  it("holds action.yml's two entries, each sub-action's entry, the action and its chunks, @actions/core, package.json and licenses.txt: no xdg-open", () => {
    expect(files().filter((f) => !/^\d+\.index\.js$/.test(f))).toEqual(
      [
        'actions-core.js',
        'index.js',
        'licenses.txt',
        basename(stepEntry('main')),
        'package.json',
        basename(stepEntry('post')),
        ...SUB_ACTION_NAMES.map((name) => basename(stepEntry('main', bundleDir(), name))),
      ].sort(),
    );
  });

  // configure-aws-credentials' committed dist/ (6.3.0) is 3,900,000 bytes; the Athena client (the
  // report's `usage-source: athena://…`, loaded only then) took the bundle past it by about 60 KB.
  it("weighs at most 4,000,000 bytes, every file and the folder as `du -sb` counts them: configure-aws-credentials' committed dist/ (6.3.0, 3,900,000) and the Athena client", () => {
    const bytes = files().reduce(
      (sum, f) => sum + statSync(join(bundleDir(), f)).size,
      statSync(bundleDir()).size,
    );
    expect(bytes).toBeLessThanOrEqual(4_000_000);
  });

  it('leaves out what an SDK loads only with import() for what the action never does: apache-arrow (a blob listing in the Arrow format) and open (an interactive sign-in), which would fail saying so', () => {
    const named = readFileSync(join(bundleDir(), 'licenses.txt'), 'utf8').split('\n');
    for (const pkg of ['apache-arrow', 'flatbuffers', 'open', 'default-browser'])
      expect([pkg, named.includes(pkg)]).toEqual([pkg, false]);
    const importing = files()
      .filter((f) => f.endsWith('.js'))
      .filter((f) =>
        /\b(from|import)\s*\(?\s*"(apache-arrow|open)"/.test(readFileSync(join(bundleDir(), f), 'utf8')),
      );
    expect(importing).toEqual([]);
    expect(filesHolding('is not bundled with cloud-access: the action never')).toEqual([
      join(bundleDir(), 'index.js'),
    ]);
  });

  it('gives each sub-action an entry of a few lines, which loads the action only through index.js', () => {
    for (const name of SUB_ACTION_NAMES) {
      const entry = readFileSync(stepEntry('main', bundleDir(), name), 'utf8');
      expect({ name, bytes: entry.length < 1000 }).toEqual({ name, bytes: true });
      expect(entry).toContain('./index.js');
      expect(entry).toContain(JSON.stringify(name));
    }
  });

  it("imports none of Node's modules as an ES module, which would read every export of it, lazy ones included, as the file loads: each is reached through process.getBuiltinModule where used", () => {
    const builtin = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    const imported = files()
      .filter((f) => f.endsWith('.js'))
      .flatMap((f) =>
        [...readFileSync(join(bundleDir(), f), 'utf8').matchAll(/\bimport\b[^;()]*?["']([^"']+)["']/g)]
          .map((match) => match[1]!)
          .filter((specifier) => builtin.has(specifier))
          .map((specifier) => `${f}: ${specifier}`),
      );
    expect(imported).toEqual([]);
  });

  it('never turns off command processing, nor writes a legacy `##[` command: no file of it holds `stop-commands` or `##[`', () => {
    // Were the action to stop commands, every later `::add-mask::` (a renewed credential's) would be
    // printed as text; it masks, annotates and groups in the `::` form only.
    const held = files()
      .filter((f) => f.endsWith('.js'))
      .filter((f) => /stop-?commands|##\[/i.test(readFileSync(join(bundleDir(), f), 'utf8')));
    expect(held).toEqual([]);
  });

  it("names the licence of the packages it bundles: @actions/core, @actions/github's Context, Octokit's core for the sweep, and no undici", () => {
    const named = readFileSync(join(bundleDir(), 'licenses.txt'), 'utf8').split('\n');
    for (const pkg of [
      '@aws-sdk/client-sso-admin',
      '@aws-sdk/client-identitystore',
      '@aws-sdk/credential-provider-web-identity',
      '@smithy/core',
      '@azure/identity',
      '@azure/msal-node',
      '@azure/arm-authorization',
      '@azure/arm-resources-subscriptions',
      '@actions/github',
      '@actions/core',
      '@octokit/core',
      '@aws-sdk/client-cloudtrail',
      'tslib',
    ])
      expect([pkg, named.includes(pkg)]).toEqual([pkg, true]);
    for (const pkg of ['@actions/http-client', '@actions/exec', 'undici', 'tunnel'])
      expect([pkg, named.includes(pkg)]).toEqual([pkg, false]);
  });

  it('holds of @actions/core only the functions the action calls: not its OIDC client, which would load undici at every start', async () => {
    const core = join(bundleDir(), 'actions-core.js');
    const exported = Object.keys((await import(core)) as Record<string, unknown>).sort();
    expect(exported).toEqual([
      'debug',
      'endGroup',
      'error',
      'getInput',
      'info',
      'notice',
      'saveState',
      'setFailed',
      'setOutput',
      'setSecret',
      'startGroup',
      'summary',
      'warning',
    ]);
    expect(readFileSync(core, 'utf8')).not.toMatch(/getIDToken|undici|HttpClient/);
    // The action imports it, never a copy of its own (the output and state functions are its alone);
    // the post entry inlines the one function it calls, for its debug line.
    const copies = files()
      .filter((f) => f.endsWith('.js') && f !== 'actions-core.js')
      .filter((f) => readFileSync(join(bundleDir(), f), 'utf8').includes('ghadelimiter_'));
    expect(copies).toEqual([]);
    expect(readFileSync(stepEntry('post'), 'utf8')).not.toMatch(/getIDToken|undici|ghadelimiter_|"crypto"/);
  });
});
