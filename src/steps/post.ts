// The post step (`post-if: always()`): revokes exactly the grants its own main step created, with
// a fresh OIDC token and a budget of its own, whether the job succeeded, failed or was cancelled.
//
// It trusts nothing it did not check: it acts only when this step's `revoke-on-exit` input is
// true, only on state entries bound to its main step (see github/state.ts) for grants its own
// inputs name, and only on grants the service confirms the main step created.
import { assignmentNameFor } from '../core/azure-scope.js';
import { describeError } from '../core/errors.js';
import { parseInputs, type StepConfig } from '../core/inputs/index.js';
import type { Grant, GrantResult } from '../core/types.js';
import { mapWithConcurrency } from '../engine/limits.js';
import { confirmOwnership, type OwnershipVerdict } from '../engine/ownership.js';
import { runGrants } from '../engine/run-grants.js';
import {
  describeRevokes,
  leftToExpireWarning,
  sharedGrantsWarning,
  type RevokeTally,
} from '../core/report.js';
import { debug, info, notice, setFailed, warning } from '../github/log.js';
import { finish, logGrant } from '../github/report.js';
import { loadState, signInOf, type SavedGrant, type StateHeader } from '../github/state.js';
import { workflowContext } from '../github/run-context.js';
import { getInput } from '../github/workflow-commands.js';
import { openSession } from './session.js';

export async function runPostStep(): Promise<void> {
  try {
    let inputs: StepConfig;
    try {
      inputs = parseInputs((name) => getInput(name), process.env, workflowContext());
    } catch {
      info('revoke-on-exit: the inputs are not valid, so the main step requested nothing; nothing to revoke');
      return;
    }
    if (!inputs.revokeOnExit) {
      // Whatever `STATE_*` values the job's environment holds, they are not this step's to act
      // on. Most jobs are like this: one debug line, as the post entry (../post.ts) says it.
      debug('revoke-on-exit is off for this step: the post step revokes nothing');
      return;
    }
    const state = loadState(inputs.grants, {
      cloud: inputs.cloud,
      signIn: signInOf(inputs),
      // Azure: the name each grant is written under. With `duration` it is the name of the PIM
      // request the main step made (a fresh GUID), checked against Azure's record of that request.
      ...(inputs.cloud === 'azure' && !inputs.duration
        ? { assignmentName: (ids) => assignmentNameFor(inputs.assignmentName, ids) }
        : {}),
    });
    const ignored = state?.ignored ?? [];
    if (ignored.length > 0) warning(`revoke-on-exit: ignored saved state: ${ignored.join('; ')}`);
    if (!state || state.header.count === 0) {
      info('revoke-on-exit: the main step saved no grants, so there is nothing to revoke');
      return;
    }
    // Entries are joined to this step's own grants by slot: they cannot name anything else.
    const created = state.created;
    if (created.length === 0) {
      info('revoke-on-exit: the main step created no grants, so there is nothing to revoke');
      return;
    }
    await revoke(inputs, created, state.header);
  } catch (failure) {
    setFailed(`revoke-on-exit: ${describeError(failure)}`);
  }
}

async function revoke(inputs: StepConfig, created: SavedGrant[], header: StateHeader): Promise<void> {
  // The grants to revoke carry the IDs the main step saved: nothing is resolved by name again.
  const grants = created.map((entry): Grant => ({ ...entry.grant, resolved: entry.ids }));
  const config = { ...inputs, operation: 'revoke', dryRun: false, wait: true, grants } as StepConfig;
  info(
    `revoke-on-exit: revoking what the main step created (${created.length} grant(s) saved), with a fresh GitHub OIDC token and a ${config.postTimeoutSeconds}s budget`,
  );
  // Its own budget: a tight `timeout-seconds` on the main step must not cut cleanup short.
  const { deadline, driver } = await openSession(config, {
    step: 'post',
    ...(header.instanceArn ? { saved: { instanceArn: header.instanceArn } } : {}),
  });
  await driver.prepare();

  // First: is each grant this step's? Each is settled on its own; one failed read fails only its grant.
  const bound = { deadline };
  const verdicts = await mapWithConcurrency(
    created,
    config.maxConcurrency,
    (entry) => confirmOwnership(entry, driver, bound),
    {
      bound,
      result: (): OwnershipVerdict => ({
        ours: false,
        status: 'IN_PROGRESS',
        reason: `not revoked: the ${deadline.seconds}s post-step deadline (\`post-timeout-seconds\`) passed before its turn`,
      }),
    },
  );
  const ours = grants.filter((_, i) => verdicts[i]!.ours);
  const revoked = await runGrants(ours, driver, {
    operation: 'revoke',
    dryRun: false,
    wait: true,
    maxConcurrency: config.maxConcurrency,
    deadline,
    // A create this step made moments before may not show in reads yet; deleting what is absent changes nothing.
    deleteWhenAbsent: true,
    onResult: (result) => logGrant(result, false),
  });
  const revokedBy = new Map(revoked.map((r, i) => [ours[i]!, r]));
  const tally: RevokeTally = {
    revoked: 0,
    alreadyAbsent: 0,
    failed: 0,
    existedBefore: header.leftAlone,
    notShownOwn: 0,
  };
  const leftToExpire: GrantResult[] = [];
  const results: GrantResult[] = grants.map((grant, i) => {
    const done = revokedBy.get(grant);
    if (done) {
      if (done.status !== 'SUCCEEDED') tally.failed++;
      else if (done.changed) tally.revoked++;
      else if (done.after !== 'present') tally.alreadyAbsent++;
      else if (done.endsOnItsOwn) {
        // Not removable yet (PIM's minimum active time), and time-bound: said, not failed.
        tally.leftToExpire = (tally.leftToExpire ?? 0) + 1;
        leftToExpire.push(done);
      } else tally.notShownOwn++;
      return done;
    }
    // Why each grant was not revoked is in its log group and the summary; a failure also gets its error from finish().
    const verdict = verdicts[i] as Extract<OwnershipVerdict, { ours: false }>;
    if (verdict.leftInPlace) tally.notShownOwn++;
    else if (verdict.status === 'SUCCEEDED') tally.alreadyAbsent++;
    else tally.failed++;
    const result = notRevoked(config.cloud, grant, created[i]!, verdict);
    logGrant(result, false);
    return result;
  });
  notice(describeRevokes(tally));
  const shared = sharedGrantsWarning(results.filter((r) => r.status === 'SUCCEEDED' && r.changed));
  if (shared) warning(shared);
  const expiring = leftToExpireWarning(leftToExpire);
  if (expiring) warning(expiring);
  await finish(results, {
    title: `cloud-access: ${config.cloud} revoke on exit`,
    operation: 'revoke',
    dryRun: false,
    wait: true,
    run: config.run,
  });
}

/** A saved grant the post step did not revoke, and why (`verdict`). */
function notRevoked(
  cloud: StepConfig['cloud'],
  grant: Grant,
  entry: SavedGrant,
  verdict: Extract<OwnershipVerdict, { ours: false }>,
): GrantResult {
  return {
    cloud,
    operation: 'revoke',
    ...grant.written,
    resolved: entry.ids,
    status: verdict.status,
    changed: false,
    before: 'unknown',
    after: 'unknown',
    change: 'none',
    durationMs: 0,
    ...(verdict.status === 'SUCCEEDED' ? { note: verdict.reason } : { failureReason: verdict.reason }),
  };
}
