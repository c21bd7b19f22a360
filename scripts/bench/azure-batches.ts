// `npm run bench:azure [-- SCENARIO…]`: 300 Azure role assignments in one subscription (10
// principals × 30 resource groups, by object ID) granted in one step, and revoked in another,
// against the emulator's ARM with its token buckets (ARM's: reads 250 + 25/s, writes and deletes
// 200 + 10/s per subscription). Prints each step's wall time (spawn → exit) against the bucket
// bound, (300 writes − 200) / 10/s = 10 s, with its requests and 429s by bucket. Scenarios: grant
// and revoke, at the default `max-concurrency` and at 50 (`grant-default`, `grant-50`,
// `revoke-default`, `revoke-50`; any `grant-N` or `revoke-N`); those four without arguments.
// `BENCH_RUNS=n` repeats each; `ARM_LATENCY_MS=n` has ARM answer every request n ms late (the
// emulator answers at once; ARM takes a few hundred ms); the bundle is dist/ or
// $CLOUD_ACCESS_BUNDLE_DIR.
import { startEmulator, type RequestRecord } from '../../emulator/index.js';
import { stepEntry } from '../../harness/action-runner.js';
import { runJob } from './quota-batches.js';

const PRINCIPALS = 10;
const RESOURCE_GROUPS = 30;
const GRANTS = PRINCIPALS * RESOURCE_GROUPS;
/** ARM's write and delete buckets (emulator/azure/tenant/config.ts): 200 tokens, 10 a second back. */
const BUCKET = 200;
const REFILL_PER_SECOND = 10;
const BOUND_MS = (Math.max(0, GRANTS - BUCKET) / REFILL_PER_SECOND) * 1000;
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
/** The tuned setting the bench reports beside the default. */
const TUNED = 50;
/** ARM's own answer time is not the emulator's: $ARM_LATENCY_MS adds it to every ARM request. */
const LATENCY_MS = Number(process.env.ARM_LATENCY_MS ?? 0);

/** `grant-default`, `revoke-50`…: the operation, and `max-concurrency` (the input left empty: the default). */
function scenarioOf(name: string): { operation: 'assign' | 'revoke'; maxConcurrency: number | undefined } {
  const match = /^(grant|revoke)-(default|\d+)$/.exec(name);
  if (!match) throw new Error(`unknown scenario ${name}: grant-default, grant-N, revoke-default or revoke-N`);
  return {
    operation: match[1] === 'grant' ? 'assign' : 'revoke',
    maxConcurrency: match[2] === 'default' ? undefined : Number(match[2]),
  };
}
const SCENARIOS = ['grant-default', `grant-${TUNED}`, 'revoke-default', `revoke-${TUNED}`];

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of asked) scenarioOf(name);
const runs = Number(process.env.BENCH_RUNS ?? 1);
const main = stepEntry('main');
const emulator = await startEmulator({ quiet: true });
const azure = emulator.azure;
if (!azure) throw new Error('the emulator started without Azure');

const principalIds = Array.from(
  { length: PRINCIPALS },
  (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
);
const scopes = Array.from(
  { length: RESOURCE_GROUPS },
  (_, i) => `/subscriptions/${azure.subscriptionId}/resourceGroups/rg-bench-${i + 1}`,
);

/** A fresh emulator (buckets full) with the principals, and for a revoke the 300 assignments in place. */
function seed(operation: 'assign' | 'revoke'): void {
  emulator.reset();
  for (const id of principalIds) azure!.addPrincipal({ type: 'User', createdAt: 0, id });
  // ARM refuses a role assignment in a resource group that does not exist.
  for (let i = 1; i <= RESOURCE_GROUPS; i++) azure!.addResourceGroup(`rg-bench-${i}`);
  if (operation === 'revoke')
    for (const scope of scopes)
      for (const principalId of principalIds)
        azure!.addRoleAssignment({ scope, roleDefinitionId: READER, principalId, principalType: 'User' });
}

const kindOf = (r: RequestRecord) =>
  r.method === 'DELETE' ? 'deletes' : r.method === 'GET' ? 'reads' : 'writes';

try {
  for (const name of asked.length > 0 ? asked : SCENARIOS) {
    const { operation, maxConcurrency } = scenarioOf(name);
    for (let i = 0; i < runs; i++) {
      seed(operation);
      azure.faults.latencyMs = LATENCY_MS;
      const run = await runJob(
        main,
        {
          cloud: 'azure',
          operation,
          ...azure.actionInputs,
          principal: principalIds.join(','),
          'principal-type': 'User',
          target: scopes.join(','),
          role: 'Reader',
          'timeout-seconds': '600',
          ...(maxConcurrency ? { 'max-concurrency': String(maxConcurrency) } : {}),
        },
        {
          ACTIONS_ID_TOKEN_REQUEST_URL: emulator.env.ACTIONS_ID_TOKEN_REQUEST_URL!,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: emulator.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN!,
          ...azure.env,
        },
        'azure-batch',
      );
      const results = JSON.parse(run.outputs.results ?? '[]') as { status: string }[];
      const succeeded = results.filter((r) => r.status === 'SUCCEEDED').length;
      const arm = emulator.requests.filter((r) => r.service === 'arm');
      const count = (kind: string, status?: number) =>
        arm.filter((r) => kindOf(r) === kind && (status === undefined || r.status === status)).length;
      const operations = new Map<string, number>();
      for (const r of arm) operations.set(r.operation, (operations.get(r.operation) ?? 0) + 1);
      const live = azure.roleAssignments().filter((a) => scopes.includes(a.properties.scope)).length;
      const wall = run.exitedAt - run.spawnedAt;
      console.log(
        [
          `azure ${operation} ${GRANTS}, max-concurrency ${maxConcurrency ?? 'default'}${LATENCY_MS ? `, ARM answering in ${LATENCY_MS} ms` : ''}: ${(wall / 1000).toFixed(1)} s = ${(wall / BOUND_MS).toFixed(2)}× the ${BOUND_MS / 1000} s bucket bound`,
          `${succeeded}/${GRANTS} SUCCEEDED (exit ${run.exitCode}); ${live} assignment(s) left`,
          `429s: reads ${count('reads', 429)}, writes ${count('writes', 429)}, deletes ${count('deletes', 429)}`,
          `requests: reads ${count('reads')}, writes ${count('writes')}, deletes ${count('deletes')} (${[
            ...operations,
          ]
            .map(([op, n]) => `${op} ${n}`)
            .join(', ')})`,
        ].join('; '),
      );
      if (run.exitCode !== 0 || succeeded !== GRANTS)
        console.log(run.output.split('\n').slice(-8).join('\n'));
    }
  }
} finally {
  await emulator.close();
}
