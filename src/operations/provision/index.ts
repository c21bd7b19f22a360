// `operation: provision`: re-provision permission sets where they are out of date. Open (a signed-in
// provisioning session, passed in) → expand OU targets → plan and provision (the AWS adapter's
// provisioning the session hands over, aws/permission-sets/provision-run.ts, its plan
// core/plan/provision-plan.ts) → report (core/output/grants-ending.ts), through the runner's
// effects, so the step is tested without a bundle.
import type { AwsProvisioning, ExpandTargets } from '../../aws/index.js';
import type { ConfigOf } from '../../core/inputs/index.js';
import { emitStepReport, headerOf } from '../../core/output/step.js';
import { emitGrantLog, grantsEnding } from '../../core/output/grants-ending.js';
import type { Deadline } from '../../engine/limits/deadline.js';
import { BatchProgress } from '../../engine/calls/progress.js';
import { withReadProgress, type CallActivity } from '../../engine/calls/read-progress.js';
import { withExpandedTargets } from '../expand-targets.js';
import type { StepRunner } from '../runner.js';
import type { AuditTrail } from '../../engine/audit/trail.js';

/** A signed-in provisioning session (steps/operation-sessions.ts openProvisioningSession). */
export type OpenProvisioning = () => Promise<{
  deadline: Deadline;
  /** The permission sets asked, and their re-provisioning, over the session (the AWS adapter's). */
  provisioning: AwsProvisioning;
  expandTargets?: ExpandTargets;
  /** `audit-log`: each request is recorded, none sent before the step's first record is written. */
  audit?: AuditTrail;
  activity?: CallActivity;
}>;

/** Where a provision works: its signed-in session. */
export interface ProvisionSources {
  open: OpenProvisioning;
}

export async function runProvision(
  asWritten: ConfigOf<'provision'>,
  runner: Pick<StepRunner, 'effects'>,
  sources: ProvisionSources,
): Promise<void> {
  const { effects } = runner;
  const { deadline, provisioning, expandTargets, activity, audit } = await sources.open();
  const { config, expansion, permissionSets, request } = await withReadProgress(
    'the targets and the permission sets',
    async () => {
      const expanded = await withExpandedTargets(asWritten, expandTargets, effects);
      const request = expanded.config.provision;
      await provisioning.prepare();
      return {
        ...expanded,
        request,
        permissionSets: await provisioning.permissionSets(request.permissionSets),
      };
    },
    { say: (line) => effects.info(line), activity },
  );
  effects.info(
    `${config.dryRun ? 'Dry run: planning' : 'Re-provisioning'} ${permissionSets.length} permission set(s) to ${config.onlyOutdated ? 'the accounts where they are outdated' : 'the accounts asked'}`,
  );
  const results = await provisioning.provision(permissionSets, {
    accounts: request.accounts,
    onlyOutdated: config.onlyOutdated,
    dryRun: config.dryRun,
    ...(audit ? { audit } : {}),
    wait: config.wait,
    maxConcurrency: config.maxConcurrency,
    deadline,
    onResult: (result) => emitGrantLog(result, config.dryRun, effects),
    progress: new BatchProgress((line) => effects.info(line), 'provisioning requests'),
  });
  await emitStepReport(
    grantsEnding(results, {
      ...headerOf(config),
      operation: 'provision',
      dryRun: config.dryRun,
      wait: config.wait,
      ...(expansion ? { expansion } : {}),
    }),
    effects,
  );
  effects.debug(`calls: ${JSON.stringify(provisioning.stats)}`);
}
