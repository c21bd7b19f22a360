// Plays a workflow of examples/ as users copy it against the emulator: the only substitutions are
// the harness's (scripts/workflows/play-workflow.ts): `uses: cloud-access/cloud-access@v1` is this action,
// `vars` / `github` / `inputs` are given, and action.yml's Azure endpoint defaults point at the
// emulator (the action reads none from the environment). The workspace is a copy of examples/
// (access/manifest.yml) with a deploy.sh, and the runner's tools the steps call are stand-ins on
// the PATH: `gh` records its arguments, `sleep` returns at once.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '../../emulator/index.js';
import { EXAMPLES } from '../../emulator/examples-seed.js';
import { runStepInProcess } from '../harness/in-process-step.js';
import {
  playWorkflow,
  readWorkflow,
  type Play,
  type PlayOptions,
} from '../../scripts/workflows/play-workflow.js';

const ROOT = join(import.meta.dirname, '..', '..');

export interface ExamplePlay extends Play {
  /** Each `gh` command a step ran, its arguments joined by spaces. */
  gh: string[];
  /** The step named by `id` or name (main stage). */
  step(name: string): Play['steps'][number];
}

export interface ExampleOptions {
  event: string;
  actor?: string;
  /** Who started this run, when not `actor` (a re-run by someone else). */
  triggeringActor?: string;
  inputs?: Record<string, string>;
  /** Replaces examples/access/manifest.yml in the workspace. */
  manifest?: string;
  /** What `gh issue list` answers (an open issue's number). */
  openIssue?: string;
  runId?: string;
  /** The job to play (the player plays one): the workflow's first unless named. */
  job?: string;
  /** Repository variables set over exampleVars' (`AUDIT_LOG_BUCKET`). */
  vars?: Record<string, string>;
}

export function exampleVars(emulator: Emulator): Record<string, string> {
  const azure = emulator.azure!;
  return {
    DEPLOY_GROUP_ID: emulator.aws.groupId('Deployers'),
    AZURE_CLIENT_ID: azure.clientId,
    AZURE_TENANT_ID: azure.tenantId,
    AZURE_SUBSCRIPTION_ID: azure.subscriptionId,
    DEPLOYER_OBJECT_ID: EXAMPLES.deployerObjectId,
    ACCESS_PLAN_CLIENT_ID: azure.clientId,
    ACCESS_APPLY_CLIENT_ID: azure.clientId,
    ACCESS_DRIFT_CLIENT_ID: azure.clientId,
    ACCESS_REPORT_CLIENT_ID: azure.clientId,
    AZURE_SWEEP_CLIENT_ID: azure.clientId,
    AZURE_REVIEW_CLIENT_ID: azure.clientId,
    ACCESS_REQUEST_CLIENT_ID: azure.clientId,
    DEPLOY_IDENTITY_OBJECT_ID: azure.objectId,
    // Unset, as GitHub gives a variable no one set: `''`, so the recipes keep no audit log.
    AUDIT_LOG_BUCKET: '',
    AUDIT_LOG_URL: '',
  };
}

export async function playExample(
  emulator: Emulator,
  file: string,
  options: ExampleOptions,
): Promise<ExamplePlay> {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-access-example-'));
  try {
    const workspace = join(dir, 'workspace');
    cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
    if (options.manifest !== undefined)
      writeFileSync(join(workspace, 'access', 'manifest.yml'), options.manifest);
    writeFileSync(join(workspace, 'deploy.sh'), '#!/usr/bin/env bash\necho "deploying as $GITHUB_ACTOR"\n');
    chmodSync(join(workspace, 'deploy.sh'), 0o755);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const ghLog = join(dir, 'gh.log');
    writeFileSync(ghLog, '');
    writeFileSync(
      join(bin, 'gh'),
      `#!/usr/bin/env bash\nprintf '%s\\n' "$*" | tr '\\n' ' ' >> "${ghLog}"; echo >> "${ghLog}"\n[ "$1 $2" = "issue list" ] && echo "${options.openIssue ?? ''}"\nexit 0\n`,
    );
    writeFileSync(join(bin, 'sleep'), '#!/usr/bin/env bash\necho "sleep $* (a stand-in: returns at once)"\n');
    for (const tool of ['gh', 'sleep']) chmodSync(join(bin, tool), 0o755);
    const azure = emulator.azure!;
    const playOptions: PlayOptions = {
      action: 'cloud-access/cloud-access',
      workspace,
      env: {
        ...emulator.env,
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        // As GitHub names the running workflow: the example's file on the default branch.
        GITHUB_WORKFLOW_REF: `octo-org/octo-repo/.github/workflows/${file}@refs/heads/main`,
      },
      github: {
        event_name: options.event,
        token: emulator.github.runs.jobToken,
        repository: 'octo-org/octo-repo',
        actor: options.actor ?? 'octocat',
        triggering_actor: options.triggeringActor ?? options.actor ?? 'octocat',
        server_url: 'https://github.com',
        run_id: options.runId ?? '1234567890',
      },
      ...(options.job === undefined ? {} : { job: options.job }),
      vars: { ...exampleVars(emulator), ...options.vars },
      inputs: options.inputs ?? {},
      // The action's steps in this process (../harness/in-process-step.ts): the same bundle and files.
      runStep: runStepInProcess,
      inputDefaults: (given): Record<string, string> =>
        given.cloud === 'azure'
          ? {
              'authority-host': azure.authorityHost,
              'resource-manager-endpoint': azure.resourceManagerEndpoint,
              'graph-endpoint': azure.graphEndpoint,
            }
          : {},
    };
    const workflow = readWorkflow(join(ROOT, 'examples', 'workflows', file));
    const play = await playWorkflow(workflow, playOptions);
    const gh = readFileSync(ghLog, 'utf8').split('\n').filter(Boolean);
    // One played main step per step of the job, skipped ones included, in the file's order.
    const steps = workflow.jobs[options.job ?? Object.keys(workflow.jobs)[0]!]!.steps;
    const mains = play.steps.filter((s) => s.stage === 'main');
    return {
      ...play,
      gh,
      step: (name) => {
        const at = steps.findIndex((s) => s.id === name || s.name === name);
        if (at < 0) throw new Error(`${file} has no step ${name}`);
        return mains[at]!;
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
