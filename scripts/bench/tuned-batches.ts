// The AWS batches of `npm run bench` at max-concurrency = the grant count (the action's own limit
// out of the way): 60 and 100 grants, 100 with revoke-on-exit, 100 at max-concurrency 1 with
// `--sequential`, then 300 grants and two jobs × 150 sharing one instance's quota
// (quota-batches.ts). Each write takes BATCH_WRITE_MS; the goals hold each against the quota bound.
import { SCENARIOS } from './batches-shapes.js';
import type { Bundle } from './bundle.js';
import {
  BATCH_WRITE_MS,
  OUTSTANDING_CREATES,
  seconds,
  SEQUENTIAL,
  STATUS_READ,
  TPS,
  type Bench,
  type Goal,
} from './context.js';
import { runBatch } from './quota-batches.js';
import { quotaGoals, sharedQuotaSection } from './quota-batches-report.js';
import { runNode } from './step.js';

export type TunedBatches = Awaited<ReturnType<typeof measureTunedBatches>>;

/** Every batch, in turn. */
export async function measureTunedBatches(bench: Bench, bundle: Bundle) {
  const batch60 = await batch(bench, bundle, 3, 20);
  const batch100 = await batch(bench, bundle, 5, 20);
  // The same batch with revoke-on-exit: each create's ownership is proven (a list of the creates
  // running as the step began, and newer pages of the creation-status list as creates end).
  const batch100Owned = await batch(bench, bundle, 5, 20, undefined, true);
  const sequential = SEQUENTIAL ? await batch(bench, bundle, 5, 20, 1) : undefined;
  // 300 grants in one step, and two jobs × 150 sharing one instance's quota.
  const batch300 = await runBatch(bench.emulator, bundle.main, SCENARIOS['300']!, {
    writeMs: BATCH_WRITE_MS,
  });
  const shared = await runBatch(bench.emulator, bundle.main, SCENARIOS['two-jobs']!, {
    writeMs: BATCH_WRITE_MS,
  });
  return { batch60, batch100, batch100Owned, sequential, batch300, shared };
}

/** How the goals name a batch. */
function batchName(b: Batch): string {
  return `${b.grants} AWS grants${b.revokeOnExit ? ' with revoke-on-exit' : ''}`;
}

/** `principals` × `accounts` grants of one permission set in one step, each write taking BATCH_WRITE_MS. */
async function batch(
  { emulator, awsGrant, awsEnv }: Bench,
  bundle: Bundle,
  principals: number,
  accounts: number,
  maxConcurrency?: number,
  revokeOnExit = false,
) {
  emulator.reset();
  emulator.aws.config.writeDelayMs = BATCH_WRITE_MS;
  const ids = Array.from({ length: principals }, (_, i) => emulator.aws.addUser(`bench-user-${i}`));
  const targets = Array.from({ length: accounts }, (_, i) => String(300000000000 + i));
  const grants = principals * accounts;
  const run = await runNode([bundle.main], {
    inputs: {
      ...awsGrant(),
      principal: ids.join(','),
      target: targets.join(','),
      'max-concurrency': String(maxConcurrency ?? grants),
      'timeout-seconds': '1800',
      ...(revokeOnExit ? { 'revoke-on-exit': 'true' } : {}),
    },
    env: awsEnv,
  });
  const results = JSON.parse(run.outputs.results ?? '[]') as { status: string }[];
  const calls: Record<string, number> = {};
  for (const r of emulator.requests) calls[r.operation] = (calls[r.operation] ?? 0) + 1;
  const creations = [...emulator.aws.state.creations.values()].map((c) => ({
    from: c.createdDate.getTime(),
    to: c.completesAt,
  }));
  // Outstanding as the emulator counts it when it accepts a create: accepted and not yet complete.
  const peakOutstanding = Math.max(
    0,
    ...creations.map(({ from: t }) => creations.filter((c) => c.from <= t && t < c.to).length),
  );
  // The cheaper read of which grants exist (one list per principal, or per account × permission
  // set), one create and one status read per grant.
  const lists = Math.min(principals, accounts);
  const minimalCalls = lists + 2 * grants;
  const boundMs = Math.max(
    Math.ceil(grants / OUTSTANDING_CREATES) * BATCH_WRITE_MS,
    (minimalCalls / TPS) * 1000,
  );
  return {
    grants,
    shape: `${principals} principals × ${accounts} accounts × 1 permission set`,
    lists,
    maxConcurrency: maxConcurrency ?? grants,
    revokeOnExit,
    wallMs: run.exitedAt - run.spawnedAt,
    succeeded: results.filter((r) => r.status === 'SUCCEEDED').length,
    calls,
    ssoCalls: emulator.requests.filter((r) => r.service === 'sso-admin').length,
    statusReads: emulator.requests.filter((r) => STATUS_READ.test(r.operation)).length,
    throttled: emulator.requests.filter((r) => r.errorCode === 'ThrottlingException').length,
    peakOutstanding,
    firstCreateMs:
      (emulator.requests.find((r) => r.operation === 'CreateAccountAssignment')?.at ?? NaN) - run.spawnedAt,
    lastCompletionToExitMs: run.exitedAt - Math.max(...creations.map((c) => c.to)),
    minimalCalls,
    boundMs,
    output: run.output,
  };
}
type Batch = Awaited<ReturnType<typeof batch>>;

/** The goals of the three batches: wall time against the bound, throttling, outstanding creates. */
export function batchGoals(m: TunedBatches): Goal[] {
  const goals: Goal[] = [];
  for (const b of [m.batch60, m.batch100, m.batch100Owned]) {
    goals.push({
      figure: `${batchName(b)}, wall time (spawn → exit)`,
      value: `${seconds(b.wallMs)} = ${(b.wallMs / b.boundMs).toFixed(2)} × the ${seconds(b.boundMs)} bound; ${b.succeeded}/${b.grants} SUCCEEDED`,
      goal: `≤ 1.25 × bound = ${seconds(1.25 * b.boundMs)}, every grant SUCCEEDED`,
      met: b.wallMs <= 1.25 * b.boundMs && b.succeeded === b.grants,
    });
    goals.push({
      figure: `${batchName(b)}, throttled answers`,
      value: String(b.throttled),
      goal: '0',
      met: b.throttled === 0,
    });
    goals.push({
      figure: `${batchName(b)}, peak outstanding creates (emulator)`,
      value: String(b.peakOutstanding),
      goal: `≤ ${OUTSTANDING_CREATES}`,
      met: b.peakOutstanding <= OUTSTANDING_CREATES,
    });
  }
  goals.push(
    ...quotaGoals({
      batch60Ms: m.batch60.wallMs,
      batch60BoundMs: m.batch60.boundMs,
      batch300: m.batch300,
      shared: m.shared,
    }),
  );
  return goals;
}

/** The sections of the batches: how the quota bound is computed, then each batch's figures. */
export function sayTunedBatches(bench: Bench, m: TunedBatches) {
  sayQuotaBound(bench, m);
  sayBatches(bench, m);
}

/** How the quota bound is computed, for the 60- and 100-grant batches. */
function sayQuotaBound({ say, table }: Bench, m: TunedBatches) {
  const b60 = m.batch60;
  const b100 = m.batch100;
  say('## The quota bound');
  say('');
  say(
    "What IAM Identity Center's quotas allow a batch of G grants to take, with the fewest calls any client could make: L lists to learn which grants exist (one `ListAccountAssignmentsForPrincipal` per principal or one `ListAccountAssignments` per account × permission set, whichever are fewer), one `CreateAccountAssignment` and at least one status read per grant. At most 15 creates are outstanding at once and each takes D to complete, so the creates alone take ceil(G / 15) × D; every call counts against the collective 20 TPS, so the calls alone take (L + 2G) / 20 s:",
  );
  say('');
  say('> bound = max( ceil(G / 15) × D , (L + 2G) / 20 TPS )');
  say('');
  say(
    "The per-step calls are left out: STS (`AssumeRoleWithWebIdentity`) and GitHub's token endpoint are not under IAM Identity Center's quota, and `ListInstances` is avoidable (the `instance-arn` input); one call would add 0.05 s to the TPS term, which is not the binding one. Process start is not in the bound either: the wall time runs from spawn to exit, so it is in the measured figure.",
  );
  say('');
  table(
    ['batch', 'shape', 'L', 'ceil(G/15) × D', '(L + 2G) / 20', 'bound', 'goal (1.25 × bound)'],
    [b60, b100].map((b) => [
      `${b.grants} grants`,
      b.shape,
      String(b.lists),
      `${Math.ceil(b.grants / OUTSTANDING_CREATES)} × ${BATCH_WRITE_MS / 1000} s = ${seconds(Math.ceil(b.grants / OUTSTANDING_CREATES) * BATCH_WRITE_MS)}`,
      `${b.minimalCalls} / 20 = ${seconds((b.minimalCalls / TPS) * 1000)}`,
      seconds(b.boundMs),
      seconds(1.25 * b.boundMs),
    ]),
  );
}

/** Each batch's figures and calls, then the shared-quota runs. */
function sayBatches({ say, table }: Bench, m: TunedBatches) {
  const b60 = m.batch60;
  const b100 = m.batch100;
  say('## Batches');
  say('');
  say(
    `Every write completes ${BATCH_WRITE_MS / 1000} s after the emulator accepts it; the emulator enforces 20 TPS collective and 15 outstanding creates (answering ThrottlingException above either). One step, \`max-concurrency\` = the grant count (the action's own limit out of the way), principals by Identity Store ID (no name look-ups).`,
  );
  say('');
  const batchRows = (b: Batch): string[] => [
    `${b.grants} grants${b.maxConcurrency === 1 ? ', max-concurrency 1' : ''}${b.revokeOnExit ? ', revoke-on-exit' : ''}`,
    seconds(b.wallMs),
    `${(b.wallMs / b.boundMs).toFixed(2)}×`,
    `${b.succeeded}/${b.grants}`,
    String(b.throttled),
    String(b.peakOutstanding),
    `${(b.statusReads / b.grants).toFixed(2)} (${b.statusReads})`,
    `${b.ssoCalls} (minimum ${b.minimalCalls})`,
    `${b.firstCreateMs} ms`,
    `${b.lastCompletionToExitMs} ms`,
  ];
  table(
    [
      'batch',
      'wall',
      'wall / bound',
      'SUCCEEDED',
      'throttled',
      'peak outstanding creates',
      'status reads per grant',
      'SSO Admin calls',
      'spawn → first create',
      'last write completed → exit',
    ],
    [b60, b100, m.batch100Owned, ...(m.sequential ? [m.sequential] : [])].map(batchRows),
  );
  for (const b of [b60, b100, m.batch100Owned, ...(m.sequential ? [m.sequential] : [])]) {
    say(
      `Calls, ${b.grants} grants${b.maxConcurrency === 1 ? ' (max-concurrency 1)' : ''}${b.revokeOnExit ? ' (revoke-on-exit: ownership proven)' : ''}: ${Object.entries(
        b.calls,
      )
        .map(([op, count]) => `${op} ${count}`)
        .join(', ')}.`,
    );
    say('');
  }
  if (!m.sequential) {
    say(
      'The sequential baseline (max-concurrency 1, about 4 minutes) runs with `npm run bench -- --sequential`.',
    );
    say('');
  }

  for (const line of sharedQuotaSection(m.batch300, m.shared)) say(line);
}
