// The header every job summary starts with, whether the step succeeded or failed: which step it
// was (operation and cloud), the run it belongs to, linked, and whom it signs in as. A reviewer
// reading summaries later, out of their job, knows where each came from. Pure.
import { escapeHtml } from '../inert.js';
import type { StepConfig } from '../inputs/index.js';
import type { WorkflowContext } from '../run-context.js';
import { assumedRoleArn } from '../signed-in.js';
import { settingsOf, type SavedSettings } from '../state/saved-settings.js';
import { runSummaryLine } from './summary-table.js';

export interface RunHeader {
  /** The step and what became of it: `cloud-access: aws reconcile (dry run)`, `… failed`. */
  title: string;
  /** The run the step belongs to. */
  run?: WorkflowContext | undefined;
  /** Where and as whom the step signs in (signInText), when the inputs say. */
  signIn?: string | undefined;
}

/** The job summary's title of a step: `cloud-access: aws reconcile (dry run)`. */
export const stepTitle = (config: Pick<StepConfig, 'cloud' | 'operation' | 'dryRun'>): string =>
  `cloud-access: ${config.cloud} ${config.operation}${config.dryRun ? ' (dry run)' : ''}`;

/**
 * Where and as whom a step signs in: on AWS the role session CloudTrail records its writes under
 * (or the environment's credentials), on Azure the application (client) ID and tenant.
 */
export function signInText(settings: SavedSettings): string {
  if (settings.cloud === 'aws') {
    const role = settings.roleToAssume;
    const as = role
      ? (assumedRoleArn(role, settings.roleSessionName) ?? role)
      : "the environment's credentials";
    return `AWS Region ${settings.region} as ${as}`;
  }
  return settings.clientId
    ? `Azure as application (client) ID ${settings.clientId}${settings.tenantId ? ` in tenant ${settings.tenantId}` : ''}`
    : "Azure with the environment's credential";
}

/** The header of a step that read its inputs: its title (`title`, or the step's own), run and sign-in. */
export const headerOf = (config: StepConfig, title: string = stepTitle(config)): RunHeader => ({
  title,
  run: config.run,
  signIn: signInText(settingsOf(config)),
});

/** The header as HTML: the title, then one line with the run (a link, where known) and the sign-in. */
export function runHeaderHtml({ title, run, signIn }: RunHeader): string {
  const parts = [run && runSummaryLine(run), signIn && escapeHtml(`signs in to ${signIn}`)].filter(
    (part): part is string => Boolean(part),
  );
  return [`<h3>${escapeHtml(title)}</h3>`, ...(parts.length > 0 ? [`<p>${parts.join(' · ')}</p>`] : [])].join(
    '\n',
  );
}

/**
 * The header of a step whose inputs were refused: the cloud and operation as written, where each is
 * one the action knows (anything else is not repeated), and the run.
 */
export function headerOfInvalidInputs(read: (name: string) => string, run: WorkflowContext): RunHeader {
  const cloud = read('cloud').trim().toLowerCase();
  const operation = read('operation').trim().toLowerCase() || 'assign';
  const known =
    ['aws', 'azure'].includes(cloud) &&
    ['assign', 'revoke', 'provision', 'reconcile', 'sweep', 'report', 'request', 'review'].includes(
      operation,
    );
  return { title: `cloud-access: ${known ? `${cloud} ${operation}: ` : ''}invalid input`, run };
}
