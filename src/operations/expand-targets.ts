// OU, root and path targets, expanded before anything is written: the accounts they mean replace
// them in the step's grants (or provision's accounts), and the log says what each expanded to, so
// the saved state and the post step only ever see concrete accounts.
import type { ExpandTargets } from '../aws/index.js';
import { awsOnlyOf, type StepConfig } from '../core/inputs/index.js';
import { withinBatchSize } from '../core/inputs/grants.js';
import { InputErrors } from '../core/errors.js';
import { Problems } from '../core/inputs/fields.js';
import { describeExcluded, grantsOverAccounts, type TargetExpansion } from '../core/inputs/org-expansion.js';
import { expansionLines } from '../core/output/target-expansion.js';
import { ALL_PROVISIONED_ACCOUNTS } from '../core/inputs/org-targets.js';
import type { RunnerEffects } from '../core/output/step.js';

/** The config with its grants over the expanded accounts; unchanged when no target needs expanding. */
export async function withExpandedTargets<C extends StepConfig>(
  config: C,
  expandTargets: ExpandTargets | undefined,
  effects: Pick<RunnerEffects, 'info' | 'warning'>,
): Promise<{ config: C; expansion?: TargetExpansion }> {
  const deferred = awsOnlyOf(config).orgTargets;
  if (!deferred || !expandTargets) return { config };
  const targets = deferred.targets.filter((t) => t.written !== ALL_PROVISIONED_ACCOUNTS);
  effects.info(`Expanding ${targets.length} target(s) with AWS Organizations`);
  const expansion = await expandTargets(targets);
  logExpansion(expansion, effects);
  if (config.operation === 'provision') {
    const accounts = expansion.accounts;
    const problems = new Problems();
    const sizes = [
      { name: 'target (expanded)', length: accounts.length },
      {
        name: 'role',
        length: config.provision.permissionSets === '*' ? 1 : config.provision.permissionSets.length,
      },
    ];
    if (!withinBatchSize(problems, 'target', sizes)) throw new InputErrors(problems.list);
    return { config: { ...config, provision: { ...config.provision, accounts } }, expansion };
  }
  return { config: { ...config, grants: grantsOverAccounts(deferred, expansion) }, expansion };
}

function logExpansion(expansion: TargetExpansion, effects: Pick<RunnerEffects, 'info' | 'warning'>): void {
  for (const line of expansionLines(expansion)) effects.info(`target ${line}`);
  for (const e of expansion.expansions)
    if (e.accounts.length === 0) effects.warning(`target \`${e.target}\`: no ACTIVE account is under it`);
  if (expansion.excluded.length > 0)
    effects.info(`left out (not ACTIVE): ${expansion.excluded.map(describeExcluded).join('; ')}`);
  effects.info(`${expansion.accounts.length} account(s) in all, each once`);
}
