// e2e.yml runs the action with `uses: ./` on a GitHub-hosted runner, which cannot run here. So its
// structure is checked against action.yml, package.json and the other workflows, and its steps are
// played on this machine (scripts/workflows/play-workflow.ts) against the fresh bundle of the source.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUB_ACTIONS } from '../../src/core/inputs/operation-inputs.js';
import {
  isRunnerSetup,
  playWorkflow,
  readLocalAction,
  readWorkflow,
  type Workflow,
  type WorkflowStep,
} from '../../scripts/workflows/play-workflow.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FILE = '.github/workflows/e2e.yml';
const workflow = readWorkflow(FILE);
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const localUses = steps.filter((s) => s.uses?.startsWith('./'));
/** A step of this action: the root (`./`) or one of its sub-actions (`./grant`, …). */
const isCloudAccess = (uses: string | undefined) =>
  uses === './' || Object.keys(SUB_ACTIONS).some((name) => uses === `./${name}`);
const actionSteps = steps.filter((s) => isCloudAccess(s.uses));

/** Every `${{ … }}` of a step, in its `with`, `env`, `run` and `if`. */
function expressionsOf(step: WorkflowStep): string[] {
  const text = JSON.stringify([step.with, step.env, step.run, step.if]);
  return [...text.matchAll(/\$\{\{\s*(.*?)\s*\}\}/g)].map((m) => m[1]!);
}

describe('e2e.yml is consistent with the action and the repository', () => {
  it('passes each local action only inputs its action.yml declares', () => {
    for (const step of localUses) {
      const declared = Object.keys(readLocalAction(step.uses!).inputs ?? {});
      expect({
        step: step.name,
        unknown: Object.keys(step.with ?? {}).filter((k) => !declared.includes(k)),
      }).toEqual({ step: step.name, unknown: [] });
    }
  });

  it('gives every required input of a local action', () => {
    for (const step of localUses) {
      const required = Object.entries(readLocalAction(step.uses!).inputs ?? {})
        .filter(([, input]) => input.required)
        .map(([name]) => name);
      expect({ step: step.name, missing: required.filter((name) => !(name in (step.with ?? {}))) }).toEqual({
        step: step.name,
        missing: [],
      });
    }
  });

  it('names the files each local action runs, and they exist', () => {
    for (const step of localUses) {
      const { runs } = readLocalAction(step.uses!);
      for (const file of [runs.main, runs.post].filter((f): f is string => Boolean(f)))
        expect(existsSync(join(ROOT, step.uses!, file))).toBe(true);
    }
  });

  it('refers only to steps that exist and come earlier', () => {
    const seen = new Set<string>();
    for (const step of steps) {
      for (const expression of expressionsOf(step)) {
        const id = /^steps\.([\w-]+)\./.exec(expression)?.[1];
        if (id)
          expect({ step: step.name, refers: id, earlier: seen.has(id) }).toMatchObject({ earlier: true });
      }
      if (step.id) seen.add(step.id);
    }
  });

  it('reads only outputs that action.yml declares', () => {
    const outputs = Object.keys(readLocalAction('./').outputs ?? {});
    const ids = new Set(actionSteps.map((s) => s.id).filter(Boolean));
    for (const step of steps)
      for (const expression of expressionsOf(step)) {
        const [, id, output] = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression) ?? [];
        if (id && ids.has(id)) expect(outputs).toContain(output);
      }
  });

  it('starts the emulator with an npm script whose file exists', () => {
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    const started = steps.map((s) => /npm run ([\w:-]+)/.exec(s.run ?? '')?.[1]).filter(Boolean);
    expect(started).toContain('emulator:start');
    const file = /tsx (\S+)/.exec(scripts['emulator:start'] ?? '')?.[1];
    expect(file && existsSync(join(ROOT, file))).toBe(true);
  });

  it('grants no id-token permission, so the runner keeps its OIDC variables out of the emulator’s way', () => {
    const permissions = [workflow.permissions, ...Object.values(workflow.jobs).map((j) => j.permissions)];
    expect(JSON.stringify(permissions)).not.toContain('id-token');
  });

  it('checks the ephemeral grant’s post step from a step that comes before it (post steps run in reverse)', () => {
    const check = steps.findIndex(
      (s) => s.uses?.startsWith('./.github/actions/') && s.with?.['absent-at-end'],
    );
    const ephemeral = steps.findIndex(
      (s) => isCloudAccess(s.uses) && String(s.with?.['revoke-on-exit']) === 'true',
    );
    expect(check).toBeGreaterThanOrEqual(0);
    expect(ephemeral).toBeGreaterThan(check);
  });

  it('quotes AWS account IDs, so a leading zero is never lost', () => {
    for (const step of actionSteps) {
      const target = step.with?.target;
      if (target !== undefined) expect(typeof target).toBe('string');
    }
    expect(readFileSync(join(ROOT, FILE), 'utf8')).not.toMatch(/^\s*target:\s*\d{12}\s*(#.*)?$/m);
  });

  it('pins each remote action by commit SHA, as the other workflows pin it', () => {
    const pins = (text: string) =>
      [...text.matchAll(/uses:\s*([\w.-]+\/[\w.-]+)@(\S+)(?:\s*#\s*(v\S+))?/g)].map(
        ([, action, ref, version]) => ({
          action: action!,
          ref: ref!,
          version,
        }),
      );
    const others = new Map(
      ['ci.yml', 'check-dist.yml', 'release.yml']
        .flatMap((f) => pins(readFileSync(join(ROOT, '.github', 'workflows', f), 'utf8')))
        .map((p) => [p.action, p.ref]),
    );
    const ours = pins(readFileSync(join(ROOT, FILE), 'utf8'));
    expect(ours.length).toBeGreaterThan(0);
    for (const pin of ours) {
      expect(pin.ref).toMatch(/^[0-9a-f]{40}$/);
      expect(pin.version).toBeDefined();
      if (others.has(pin.action)) expect(pin.ref).toBe(others.get(pin.action));
    }
  });
});

describe('e2e.yml, played on this machine', () => {
  it('passes: every grant, the dry run, the failing grant’s outputs, and the post steps’ revoke', async () => {
    const play = await playWorkflow(workflow);
    const failed = play.steps.filter((s) => s.conclusion === 'failure');
    expect(failed.map((s) => `${s.name}\n${s.log}`)).toEqual([]);
    expect(play.conclusion).toBe('success');

    const outcome = (name: RegExp) => play.steps.find((s) => name.test(s.name))?.outcome;
    expect(outcome(/^A grant that fails$/)).toBe('failure');
    expect(outcome(/^The outputs are as expected$/)).toBe('success');
    // Skipped: what the runner needs and this machine has.
    expect(play.steps.filter((s) => s.outcome === 'skipped').length).toBe(
      steps.filter(isRunnerSetup).length + steps.filter((s) => s.if === 'failure()').length,
    );
    // Every main step's post, last first: the revoke before the check of what it left.
    const posts = play.steps.filter((s) => s.stage === 'post').map((s) => s.name);
    expect(posts.indexOf(`Post ${actionSteps.find((s) => s.id === 'ephemeral')!.name}`)).toBeLessThan(
      posts.findIndex((name) => name.startsWith('Post After the post steps')),
    );
  }, 180_000);

  it('fails when the ephemeral grant is left behind (without revoke-on-exit)', async () => {
    // The job up to the ephemeral grant, which here does not revoke what it created.
    const job = Object.values(workflow.jobs)[0]!;
    const upTo = job.steps.findIndex((s) => s.id === 'ephemeral');
    const leftBehind: Workflow = {
      ...workflow,
      jobs: {
        e2e: {
          ...job,
          steps: job.steps
            .slice(0, upTo + 1)
            .map((s) => (s.id === 'ephemeral' ? { ...s, with: { ...s.with, 'revoke-on-exit': false } } : s)),
        },
      },
    };
    const play = await playWorkflow(leftBehind);
    expect(play.conclusion).toBe('failure');
    const check = play.steps.find(
      (s) => s.stage === 'post' && s.name.startsWith('Post After the post steps'),
    );
    expect(check?.outcome).toBe('failure');
    expect(check?.log).toContain(
      '::error::emulator-assert (post): present, but should not be: aws GROUP Deployers AdministratorAccess 222222222222',
    );
  }, 120_000);
});
