// The families `npm run bench` measures in processes of their own, each script against its own
// emulator: the reconcile (reconcile-goals.ts), its read of defined permission sets' content
// (permission-set-reads.ts), `operation: report` (report-goals.ts), the sweep
// (sweep-goals.ts), `operation: request`'s checks (request-goals.ts), the batches at default settings (default-goals.ts) and the post step's re-check
// (post-recheck.ts); their goals, and their sections after the report's own.
import { runBenchScript } from './child.js';
import type { Bench, Goal } from './context.js';
import { defaultSettingsFigures, defaultSettingsSection } from './default-goals.js';
import { DEFINED_SETS, permissionSetReadsGoal } from './permission-set-reads.js';
import { reconcileFigures } from './reconcile-goals.js';
import { reportFigures } from './report-goals.js';
import { requestFigures } from './request-goals.js';
import { snapshotFigures } from './snapshot-goals.js';
import { sweepFigures } from './sweep-goals.js';

export type ChildFigures = Awaited<ReturnType<typeof childFigures>>;

/** The figures measured in processes of their own: reconcile, report, sweep, default settings, the post re-check. */
export async function childFigures() {
  // The reconcile's plan and apply, in a process of their own (scripts/bench/reconcile.ts).
  const reconcile = await reconcileFigures(process.env.CLOUD_ACCESS_BUNDLE_DIR);
  // Reading the content of 150 defined permission sets, in a process of its own (one run: the
  // figure is a count of calls, which the machine's load does not move).
  const permissionSetReads = (await runBenchScript('permission-set-reads.ts', { BENCH_RUNS: '1' }))
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('permission-set content') || l.startsWith('exit') || /Error/.test(l));
  // What `policy-checks` adds to a plan of 20 changed defined sets, in a process of its own.
  const policyChecks = (
    await runBenchScript('policy-checks.ts', {
      BENCH_RUNS: '3',
      ...(process.env.CLOUD_ACCESS_BUNDLE_DIR
        ? { CLOUD_ACCESS_BUNDLE_DIR: process.env.CLOUD_ACCESS_BUNDLE_DIR }
        : {}),
    })
  )
    .trim()
    .split('\n')
    .filter((l) => /^(policy-checks|checks|IAM reads|plan wall time|exit)/.test(l) || /Error/.test(l));
  // `operation: report`, in a process of its own (scripts/bench/report.ts).
  const accessReport = await reportFigures(process.env.CLOUD_ACCESS_BUNDLE_DIR);
  // The snapshot's delta read at org scale, in a process of its own (scripts/bench/snapshot.ts).
  const snapshot = await snapshotFigures(process.env.CLOUD_ACCESS_BUNDLE_DIR);
  // The sweep, in a process of its own (scripts/bench/sweep.ts).
  const sweep = await sweepFigures(process.env.CLOUD_ACCESS_BUNDLE_DIR);
  // `operation: request`'s checks, in a process of their own (scripts/bench/request.ts).
  const request = await requestFigures(process.env.CLOUD_ACCESS_BUNDLE_DIR);
  // The batches at default settings, in processes of their own (scripts/bench/default-goals.ts).
  const defaults = await defaultSettingsFigures(process.env.CLOUD_ACCESS_BUNDLE_DIR);
  // The post step's re-check, in a process of its own (scripts/bench/post-recheck.ts).
  const postRecheck = (
    await runBenchScript('post-recheck.ts', {
      BENCH_RUNS: '3',
      ...(process.env.CLOUD_ACCESS_BUNDLE_DIR
        ? { CLOUD_ACCESS_BUNDLE_DIR: process.env.CLOUD_ACCESS_BUNDLE_DIR }
        : {}),
    })
  )
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('post re-check') || l.startsWith('exit') || /Error/.test(l));
  const goals: Goal[] = [
    ...reconcile.goals,
    permissionSetReadsGoal(permissionSetReads),
    ...accessReport.goals,
    ...snapshot.goals,
    ...sweep.goals,
    ...request.goals,
    ...defaults.goals,
  ];
  return {
    reconcile,
    permissionSetReads,
    policyChecks,
    accessReport,
    snapshot,
    sweep,
    request,
    defaults,
    postRecheck,
    goals,
  };
}

/** The sections of the figures measured in processes of their own, after the report's. */
export function sayChildSections({ say }: Bench, figures: ChildFigures) {
  const { reconcile, permissionSetReads, accessReport, sweep, request, defaults, postRecheck } = figures;
  say('');
  say('## Reconcile');
  say('');
  say('`npm run bench:reconcile` (scripts/bench/reconcile.ts), as run by this bench:');
  say('');
  say('```');
  for (const line of reconcile.lines) say(line);
  say('```');
  say('');
  say(
    "The apply's quota bound is the least time any client within IAM Identity Center's quotas could take, from its first call to its last write's end: the larger of its SSO Admin calls at 20 TPS, and its creates at 15 outstanding (each as long as the emulator's write), none before the plan is read. The plan comes first because `max-deletions` and the delete-everything refusal judge the whole plan; its P calls sit in the first second's window, so at most 20 − P creates leave in that second and the others a second later, and a chain of creates (15 outstanding make 15 chains) that starts a second late ends a second late. With 16 plan calls that is 21 s for 150 creates of 2 s, where a batch's bound (max(⌈creates / 15⌉ × 2 s, calls / 20), no plan in the way) would say 20 s; the second figure on each line is against that. The plan here makes 16 SSO Admin calls (1 `ListPermissionSets`, 4 `DescribePermissionSet`, 1 `ListAccountsForProvisionedPermissionSet`, 10 `ListAccountAssignments`); the fewest a complete plan of this manifest needs is 13 (one describe), and with any plan of 6 or more calls the bound is 21 s.",
  );
  say('');
  say('### Defined permission sets');
  say('');
  say('`npm run bench:permission-sets` (scripts/bench/permission-set-reads.ts), as run by this bench:');
  say('');
  say('```');
  for (const line of permissionSetReads) say(line);
  say('```');
  say('');
  say(
    `A reconcile reads the content of each permission set its manifest defines in 6 calls (\`DescribePermissionSet\`, \`GetInlinePolicyForPermissionSet\`, \`ListManagedPoliciesInPermissionSet\`, \`ListCustomerManagedPolicyReferencesInPermissionSet\`, \`GetPermissionsBoundaryForPermissionSet\`, \`ListTagsForResource\`; src/aws/permission-sets/read-content.ts), through the session at its own pace: ${DEFINED_SETS} sets, each with an inline policy, two AWS-managed and one customer-managed policy and two tags, half with a boundary (a set without one is answered ResourceNotFoundException, still one call). The calls count retries; the goal is 1.1 × 6 × ${DEFINED_SETS}.`,
  );
  sayPolicyChecks(say, figures.policyChecks);
  say('');
  say('## Report');
  say('');
  say('`npm run bench:report` (scripts/bench/report.ts), as run by this bench:');
  say('');
  say('```');
  for (const line of accessReport.lines) say(line);
  say('```');
  say('');
  say(
    "A report of the whole instance the reconcile plan reads, against the fewest calls a read complete for a report takes (scripts/bench/instance.ts reportMinimumReads): by place, since reading by principal lists only the principals the identity store still holds and misses a deleted one's assignments. That minimum is one `ListPermissionSets` page, each permission set's accounts (a page per 100) and one `ListAccountAssignments` per account × permission set where the set is provisioned; the by-principal figure is printed for comparison. Names (the identity store, `DescribePermissionSet`) and CloudTrail's `LookupEvents` come after the read and are counted apart. The peak memory is the step's resident high-water mark: at 20 calls a second for 80 s the SDK allocates about 200 KB a call, and V8 would double its young generation up to 64 MiB under it; the step holds that space, once the cloud's SDK is loaded, at the size loading grew it to (src/steps/young-generation.ts).",
  );
  say('');
  say('## Sweep');
  say('');
  say('`npm run bench:sweep` (scripts/bench/sweep.ts), as run by this bench:');
  say('');
  say('```');
  for (const line of sweep.lines) say(line);
  say('```');
  say('');
  say(
    "A dry run of `operation: sweep` (its reads and plan; the revokes are the engine's, measured by the batch figures above) over 1,000 claims from 100 runs (10 grants each: 20 users × 50 accounts, one permission set; 10 runs still in progress), plus 200 creates by a person, 50 permanent grants and 50 grants deleted since: 1,350 CloudTrail events. The minimums: LookupEvents pages, ceil(creates / 50) + ceil(deletes / 50) (one event name each) + one page of CloudTrail's older history, which the sweep reads only because claims would be revoked (900 here) whose assignments' lives began before the window (the seed has nothing older, so one empty page); one GitHub request per distinct run; the cheaper complete read of the current state (one `ListAccountAssignmentsForPrincipal` per principal: 20, against 50 `ListAccountAssignments`). The wall bound is what 2 LookupEvents a second allow: the first two at once, then one every half second; the step's start, its sign-in, the state reads and the GitHub requests come on top.",
  );
  say('');
  say("### The post step's re-check of ownership");
  say('');
  say('`scripts/bench/post-recheck.ts`, as run by this bench:');
  say('');
  say('```');
  for (const line of postRecheck) say(line);
  say('```');
  say('');
  say(
    "Before its delete, revoke-on-exit reads every create request made in the instance since its own (a create after its own, a reliance among them, leaves the grant): IAM Identity Center's request lists name no assignment, so each is described once, at the 20 TPS all its APIs share: 200 unrelated requests during the job cost about 200 status reads, some 10 s at least. The re-check runs inside `post-timeout-seconds`: when the budget runs out first, the grant is left in place, the step says why, and the sweep ends it later.",
  );
  say('');
  say('## Request');
  say('');
  say(
    "`npm run bench` runs scripts/bench/request.ts: an AWS `operation: request` whose environment has custom deployment-branch policies, against the same grant made by `assign`; the GitHub requests the request's checks send before the grant, and the wall time beyond that grant:",
  );
  say('');
  say('```');
  for (const line of request.lines) say(line);
  say('```');
  say('');
  for (const line of defaultSettingsSection(defaults)) say(line);
}

/** What `policy-checks` adds to a plan (scripts/bench/policy-checks.ts): its lines, and what they measure. */
function sayPolicyChecks(say: Bench['say'], lines: string[]) {
  say('');
  say('### Policy checks');
  say('');
  say('`npm run bench:policy-checks` (scripts/bench/policy-checks.ts), as run by this bench:');
  say('');
  say('```');
  for (const line of lines) say(line);
  say('```');
  say('');
  say(POLICY_CHECKS_NOTE);
}

const POLICY_CHECKS_NOTE =
  "A plan (dry run) of 20 permission sets the manifest defines, each changed in two parts: its inline policy gains a statement, and the same AWS-managed policy is attached to each, with `policy-checks: off` and `on`, interleaved, against the emulator's IAM Access Analyzer and IAM (src/aws/permission-sets/policy-checks.ts). A changed inline policy costs at most 1 `ValidatePolicy` + 1 `CheckNoNewAccess` + ⌈actions / 100⌉ `CheckAccessNotGranted` (the ceiling), an added AWS-managed policy ⌈actions / 100⌉ `CheckAccessNotGranted`, its document read once per ARN in the run (`GetPolicy`, `GetPolicyVersion`). The counts do not move with the machine's load; the added time does, and on AWS it is Access Analyzer's own latency rather than the emulator's.";
