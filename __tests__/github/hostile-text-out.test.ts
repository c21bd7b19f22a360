// Every way text leaves the action, fed a server's hostile text, read back the way the runner
// reads it: stdout line by line (LF and CR both end a line), the GITHUB_OUTPUT file, the job summary.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFileCommands } from '../../harness/action-runner.js';
import { legacyCommandNames } from '../harness/secret-scan.js';

const HOSTILE =
  'denied\n::warning::pwned\n::add-mask::s3cret\n::set-output name=status::SUCCEEDED\n::stop-commands::t0k3n\r::error::cr <img src=x onerror=alert(1)> ##[add-mask]s3cret ##[stop-commands]t0k3n ##[warning]pwned';

/** Runs `code` (TypeScript, with the modules named) in a fresh process, as a step would. */
function runAsStep(code: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'boundaries-'));
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const script = join(dir, 'step.mts');
  writeFileSync(script, code);
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: process.cwd(),
    env: { ...process.env, ...files, HOSTILE, ...env },
    encoding: 'utf8',
  });
  try {
    if (run.status !== 0 && !run.stdout) throw new Error(run.stderr);
    return {
      stdout: run.stdout,
      stderr: run.stderr,
      outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
      summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The workflow commands the runner would obey: lines that start with `::` once leading space is
 * trimmed (by name), and every legacy `##[` command anywhere in a line (as `##[name`).
 */
function commandsIn(stdout: string): string[] {
  return stdout.split(/\r\n|\r|\n/).flatMap((line) => {
    const trimmed = line.trimStart();
    const current = trimmed.startsWith('::')
      ? [trimmed.slice(2, trimmed.indexOf('::', 2)).split(' ')[0]!]
      : [];
    return [...current, ...legacyCommandNames(line).map((name) => `##[${name}`)];
  });
}

const src = (path: string) => JSON.stringify(join(process.cwd(), 'src', path));
const failedResult = `{
  cloud: 'aws', operation: 'assign', principal: 'alice', target: '111111111111', role: 'Admin',
  status: 'FAILED', failureReason: process.env.HOSTILE, requestId: process.env.HOSTILE,
  assignmentId: process.env.HOSTILE, note: process.env.HOSTILE, detail: { reason: process.env.HOSTILE },
  resolved: { cloud: 'aws', principalId: process.env.HOSTILE, accountId: '111111111111', roleId: 'r' },
  changed: false, before: 'absent', after: 'absent', change: 'create', durationMs: 5,
}`;

describe('server text cannot reach the runner as a command', () => {
  it('log lines: a grant log group with a hostile reason, request ID and IDs', () => {
    const { stdout } = runAsStep(
      [
        `import { grantLog } from ${src('core/output/grants-ending.ts')};`,
        `import { runnerEffects } from ${src('github/runner-effects.ts')};`,
        `const { title, lines } = grantLog(${failedResult}, false);`,
        'runnerEffects.group(title, lines);',
      ].join('\n'),
    );
    expect(commandsIn(stdout)).toEqual(['group', 'endgroup']);
    expect(stdout).toContain('reason: denied%0A::warning::pwned%0A::add-mask::s3cret');
  });

  it('every way log.ts writes (a plain line, debug, notice, warning, error, a group title) carries the text as data', () => {
    const { stdout } = runAsStep(
      `import * as log from ${src('github/log.ts')};\nconst text = process.env.HOSTILE ?? '';\nlog.info(text);\nlog.debug(text);\nlog.notice(text);\nlog.warning(text);\nlog.error(text);\nlog.startGroup(text);\nlog.endGroup();`,
    );
    // Through @actions/core: each call is its own one command (or, for info, none), in either form.
    expect(commandsIn(stdout)).toEqual(['debug', 'notice', 'warning', 'error', 'group', 'endgroup']);
    expect(stdout.split('\n')[0]).toBe(
      'denied%0A::warning::pwned%0A::add-mask::s3cret%0A::set-output name=status::SUCCEEDED%0A::stop-commands::t0k3n%0D::error::cr <img src=x onerror=alert(1)> %23%23[add-mask]s3cret %23%23[stop-commands]t0k3n %23%23[warning]pwned',
    );
  });

  it('annotations: the failure annotation carries the text as data', () => {
    const { stdout } = runAsStep(
      [
        `import { emitStepReport } from ${src('core/output/step.ts')};`,
        `import { failuresOf } from ${src('core/output/grants-ending.ts')};`,
        `import { runnerEffects } from ${src('github/runner-effects.ts')};`,
        `const { annotations } = failuresOf([${failedResult}], { operation: 'assign', wait: true });`,
        'await emitStepReport({ annotations }, runnerEffects);',
      ].join('\n'),
    );
    expect(commandsIn(stdout)).toEqual(['error']);
  });

  it('a failed step: setFailed with a server error message', () => {
    const { stdout } = runAsStep(
      `import { setFailed } from ${src('github/log.ts')};\nsetFailed('CreateAccountAssignment failed: ' + process.env.HOSTILE);`,
    );
    expect(commandsIn(stdout)).toEqual(['error']);
  });

  it('outputs: failure-reason, request-id and results stay one inert line each', () => {
    const { stdout, outputs } = runAsStep(
      [
        `import { emitOutputs, outputsOfResults } from ${src('core/output/step.ts')};`,
        `import { runnerEffects } from ${src('github/runner-effects.ts')};`,
        `emitOutputs(outputsOfResults([${failedResult}]), runnerEffects);`,
      ].join('\n'),
    );
    expect(commandsIn(stdout)).toEqual([]);
    // A workflow may echo an output on a line of its own: no value starts a command there either.
    expect(Object.values(outputs).flatMap(commandsIn)).toEqual([]);
    expect(outputs['failure-reason']).not.toMatch(/[\r\n]/);
    expect(outputs['request-id']).toContain('%0A::warning::pwned');
    expect(outputs.status).toBe('FAILED');
    const [entry] = JSON.parse(outputs.results!) as { failureReason: string }[];
    expect(entry!.failureReason).not.toMatch(/[\r\n]/);
  });

  it('job summary: markup a server sent is shown, not rendered', () => {
    const { summary } = runAsStep(
      [
        `import { grantsSummaryHtml } from ${src('core/output/grants-ending.ts')};`,
        `import { appendSummary } from ${src('github/summary.ts')};`,
        `await appendSummary(grantsSummaryHtml([${failedResult}], { title: 'title <b>', operation: 'assign', dryRun: false, run: {} }));`,
      ].join('\n'),
    );
    expect(summary).not.toContain('<img');
    expect(summary).not.toContain('<b>');
    expect(summary).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(summary).not.toContain('##[');
  });
});

describe("the job's GITHUB_* variables are data too", () => {
  const summaryOfThisRun = `import { workflowContext } from ${src('github/run-context.ts')};
import { grantsSummaryHtml } from ${src('core/output/grants-ending.ts')};
import { appendSummary } from ${src('github/summary.ts')};
const run = workflowContext();
console.log(JSON.stringify(run));
await appendSummary(grantsSummaryHtml([], { title: 't', operation: 'assign', dryRun: false, run }));
console.log('event path after:', JSON.stringify(process.env.GITHUB_EVENT_PATH));`;

  it('planted run metadata reaches neither the runner as a command nor the summary as markup', () => {
    const { stdout, summary } = runAsStep(summaryOfThisRun, {
      GITHUB_EVENT_PATH: '/nonexistent\n::add-mask::s3cret\n::warning::pwned',
      GITHUB_REPOSITORY: 'octo-org/app"><img src=x>',
      GITHUB_WORKFLOW: process.env.HOSTILE ?? HOSTILE,
      GITHUB_ACTOR: 'octocat\n::warning::pwned',
      GITHUB_REF: 'refs/heads/main\r::error::pwned',
      GITHUB_RUN_ID: '42; rm -rf /',
      GITHUB_SERVER_URL: 'javascript:alert(1)//',
    });
    // @actions/github's Context would print a missing event path to stdout; the action hides it.
    expect(commandsIn(stdout)).toEqual([]);
    expect(summary).not.toMatch(/<a |<img|javascript:/);
    const run = JSON.parse(stdout.split('\n')[0]!) as Record<string, string | undefined>;
    // Only the workflow's name survives, as one line of text.
    expect(run).toEqual({ workflow: expect.stringContaining('denied::warning::pwned') });
  });

  it('a variable Context would read in part is not taken: a run ID with more after its digits, a repository with more parts', () => {
    const { stdout } = runAsStep(summaryOfThisRun, {
      GITHUB_REPOSITORY: 'octo-org/app/../../evil',
      GITHUB_RUN_ID: '12abc',
      GITHUB_RUN_ATTEMPT: '1e9',
      GITHUB_WORKFLOW: 'deploy',
    });
    expect(JSON.parse(stdout.split('\n')[0]!)).toEqual({
      workflow: 'deploy',
      serverUrl: 'https://github.com',
    });
  });

  it('the event payload is never read: a malformed one is no failure, and the variable is left as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'event-'));
    const event = join(dir, 'event.json');
    writeFileSync(event, '{ not json');
    let step: ReturnType<typeof runAsStep>;
    try {
      step = runAsStep(summaryOfThisRun, {
        GITHUB_EVENT_PATH: event,
        GITHUB_REPOSITORY: 'octo-org/app',
        GITHUB_RUN_ID: '1234567890',
        GITHUB_RUN_ATTEMPT: '3',
        GITHUB_SERVER_URL: 'https://github.com',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const { stdout, summary } = step;
    expect(summary).toContain(
      '<a href="https://github.com/octo-org/app/actions/runs/1234567890/attempts/3">',
    );
    expect(stdout).toContain(`event path after: ${JSON.stringify(event)}`);
  });
});

describe("the Azure SDK's own log, which the job's environment turns on, reaches the runner only escaped", () => {
  // What a step does: adapterOf before any Azure chunk loads; then ARM's SDK (CommonJS, with its own
  // copy of @azure/logger, as in the bundle) and the adapter's route for the ES module copy.
  const azureStep = (logs: string) => `import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { adapterOf } from ${src('steps/cloud-adapters.ts')};
import * as log from ${src('github/log.ts')};
adapterOf({ cloud: 'azure' } as never);
const load = createRequire(process.cwd() + '/package.json');
load('@azure/arm-authorization');
const armCopy = load('@azure/logger');
const { routeSdkLogs } = await import(${src('azure/sdk/logs.ts')});
routeSdkLogs(log.debug);
const routedCopy = await import(pathToFileURL(process.cwd() + '/node_modules/@azure/logger/dist/esm/index.js').href);
${logs}`;

  it('an AZURE_LOG_LEVEL or TYPESPEC_RUNTIME_LOG_LEVEL that is no level is not echoed raw to stderr', () => {
    for (const variable of ['AZURE_LOG_LEVEL', 'TYPESPEC_RUNTIME_LOG_LEVEL']) {
      const { stdout, stderr } = runAsStep(azureStep(''), { [variable]: HOSTILE });
      expect([variable, commandsIn(stdout), commandsIn(stderr)]).toEqual([variable, [], []]);
    }
  });

  it("with AZURE_LOG_LEVEL (or DEBUG) set, a server's text the SDK logs (ARM's response headers) goes to the debug log, escaped", () => {
    const { stdout, stderr } = runAsStep(
      azureStep(
        [
          "armCopy.createClientLogger('core-rest-pipeline').info('x-ms-request-id: ' + process.env.HOSTILE);",
          "routedCopy.createClientLogger('identity').info('AADSTS700016: ' + process.env.HOSTILE);",
        ].join('\n'),
      ),
      { AZURE_LOG_LEVEL: 'info', DEBUG: 'azure*' },
    );
    expect([commandsIn(stdout), commandsIn(stderr)]).toEqual([['debug'], []]);
    expect(stdout).toContain('::debug::azure:identity:info AADSTS700016: denied%250A::warning::pwned');
  });
});

describe('a manifest read from the default branch is data, even where the yaml library warns about it', () => {
  it('a review or prune editing a manifest with a collection key prints no yaml warning that carries its text', () => {
    const { stdout, stderr } =
      runAsStep(`import { removeRows } from ${src('core/manifest/manifest-removal.ts')};
const manifest = \`version: 1
notes:
  ? [ "##[stop-commands]t0k3n" ]
  : planted
aws:
  assignments:
    - principal: bob
      role: ReadOnly
      target: '111111111111'
    - principal: dave
      role: ReadOnly
      target: '222222222222'
\`;
const row = { id: 'row00001', cloud: 'aws', principalId: 'u-bob', principalName: 'bob', role: 'ReadOnly',
  roleId: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef', targetId: '111111111111', manifestLine: 8 };
console.log(JSON.stringify(removeRows(manifest, [row]).removed));`);
    expect(stdout).toBe('["row00001"]\n');
    expect([commandsIn(stdout), commandsIn(stderr)]).toEqual([[], []]);
  });
});

describe("a library's process warning, which Node writes to stderr, reaches the runner only escaped", () => {
  it('a step run to its end takes a warning quoting server text into its debug log, as data', () => {
    const { stdout, stderr } = runAsStep(`import { runToTheEnd } from ${src('github/step-end.ts')};
await runToTheEnd(async () => {
  process.emitWarning(process.env.HOSTILE);
  await new Promise((resolve) => setTimeout(resolve, 10));
}, { outputs: false });`);
    expect([commandsIn(stdout), commandsIn(stderr)]).toEqual([['debug'], []]);
    expect(stdout).toContain('::debug::Warning: denied');
  });
});
