// The Graph part of `npm run bench`: how many Microsoft Graph requests resolve a manifest-sized
// list of principals by name (the issue's 40 groups, 20 users and 10 service principals), through
// the bundled main step against the emulator, in a dry run (names resolved, nothing written).
// `npm run bench:graph` (`npm run bench -- --graph`) runs this part alone and prints it, leaving BENCHMARKS.md as it is.
import type { Emulator } from '../../emulator/index.js';
import { runStep } from '../../harness/action-runner.js';
import type { Goal } from './context.js';

/** "A manifest naming 40 groups, 20 users and 10 service principals resolves in at most 8 Graph requests." */
export const GRAPH_GOAL = 8;

export interface GraphCount {
  names: { groups: number; users: number; servicePrincipals: number };
  /** Graph requests the step sent (a `$batch` counts once). */
  requests: number;
  /** `$batch` requests among them. */
  batches: number;
  exitCode: number | null;
  /** Whether every name resolved and every grant was planned (dry run SUCCEEDED). */
  resolved: boolean;
  ms: number;
}

export async function graphRequestCount(
  emulator: Emulator,
  groups = 40,
  users = 20,
  sps = 10,
): Promise<GraphCount> {
  const azure = emulator.azure;
  if (!azure) throw new Error('the emulator was started without Azure');
  azure.reset();
  const names: string[] = [];
  for (let i = 0; i < groups; i++)
    names.push(`group:${azure.addGroup({ displayName: `team-${i}-deployers` }).displayName}`);
  for (let i = 0; i < users; i++)
    names.push(azure.addUser({ userPrincipalName: `user${i}@octoorg.onmicrosoft.com` }).userPrincipalName);
  for (let i = 0; i < sps; i++)
    names.push(`sp:${azure.addApplication({ displayName: `app-${i}` }).servicePrincipal.appId}`);
  const before = emulator.requests.length;
  const started = Date.now();
  const step = await runStep('main', {
    inputs: {
      cloud: 'azure',
      ...azure.actionInputs,
      principal: names.join('\n'),
      target: `/subscriptions/${azure.subscriptionId}`,
      role: 'Reader',
      'dry-run': 'true',
      'max-concurrency': '20',
    },
    env: emulator.env,
  });
  const graph = emulator.requests.slice(before).filter((r) => r.service === 'graph');
  return {
    names: { groups, users, servicePrincipals: sps },
    requests: graph.length,
    batches: graph.filter((r) => r.operation === 'batch').length,
    exitCode: step.exitCode,
    resolved: step.exitCode === 0 && step.outputs.status === 'SUCCEEDED',
    ms: Date.now() - started,
  };
}

/** The report's lines for it. */
export function graphReport(count: GraphCount): string[] {
  const { groups, users, servicePrincipals } = count.names;
  return [
    '## Principals by name: Microsoft Graph requests',
    '',
    `A dry run naming ${groups} groups (\`group:NAME\`), ${users} users (UPNs) and ${servicePrincipals} service principals (\`sp:APP-ID\`), ${groups + users + servicePrincipals} names in all, one grant each: **${count.requests} Graph request(s)** (${count.batches} \`$batch\`), goal at most ${GRAPH_GOAL}: ${count.resolved && count.requests <= GRAPH_GOAL ? 'met' : 'NOT met'}${count.resolved ? '' : ` (the step did not resolve every name: exit ${String(count.exitCode)})`}. Groups, users and service principals are asked with \`in (…)\` of at most 15 values, and the queries sent together in \`$batch\` requests of at most 20. The step took ${(count.ms / 1000).toFixed(1)} s, most of it the dry run's ARM reads.`,
    '',
  ];
}

/** The Graph goal of `npm run bench`'s table. */
export function graphGoals(graph: GraphCount): Goal[] {
  return [
    {
      figure: 'Graph requests for 40 groups, 20 users and 10 service principals by name',
      value: String(graph.requests),
      goal: `≤ ${GRAPH_GOAL}`,
      met: graph.resolved && graph.requests <= GRAPH_GOAL,
    },
  ];
}
