// The goals and sections of the cold starts (cold-start.ts) in `npm run bench`: the time to the
// first request and the post step's against node alone, peak RSS and the bundle's bytes against
// configure-aws-credentials', the cold-start rounds, how configure-aws-credentials was measured, and
// the bundle's files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { filesUnder } from './bundle.js';
import { WARM_UP_ROUNDS, type ColdStart, type Variant } from './cold-start.js';
import {
  FEW_RUNS,
  mb,
  median,
  mib,
  RSS_RUNS,
  RUNS,
  shown,
  spread,
  type Bench,
  verdict,
  type Goal,
} from './context.js';

/**
 * The first request's goal, as a share of configure-aws-credentials' time to its own: 0.5, what the
 * action came at before its audit, request and eligibility code (0.48–0.50×), which a step that
 * only assigns must not pay for at its start.
 */
const FIRST_REQUEST_SHARE = 0.5;

/** Figures recorded by the issue's author for configure-aws-credentials v6.2.3, used when it is not measured here. */
const CAWC_RECORDED = { peakRssKiB: 74 * 1024, distBytes: 3.9e6 };

/** What several sections of the report read: the variants by role, their medians, the bundle's files. */
function derived(m: ColdStart) {
  const [nodeV, awsV, azureV] = m.variants;
  const tlsV = m.variants.find((v) => v.name.includes('TLS client context'))!;
  const cawcV = m.variants.find((v) => v.name.startsWith('configure-aws-credentials'));
  const postV = m.variants.find((v) => v.name.startsWith('post step'))!;
  const med = (v: Variant | undefined) => (v ? median(m.times.get(v.name)!) : NaN);
  const rssOf = (v: Variant | undefined) => (v ? median(m.rss.get(v.name)!) : NaN);
  const distFiles = filesUnder(m.bundle.dir);
  const distBytes = distFiles.reduce((n, f) => n + f.bytes, 0);
  const cawcDistBytes = m.cawc ? filesUnder(m.cawc.dir).reduce((n, f) => n + f.bytes, 0) : undefined;
  return {
    nodeV,
    awsV,
    azureV,
    tlsV,
    cawcV,
    postV,
    med,
    rssOf,
    distFiles,
    distBytes,
    cawcDistBytes,
  };
}
type Derived = ReturnType<typeof derived>;

/** The goals of the cold starts, in this order: the first request, the post step, peak RSS, the bundle's bytes. */
export function coldStartGoals(m: ColdStart): Goal[] {
  const d = derived(m);
  return [...timingGoals(d), ...footprintGoals(m, d)];
}

/** The goals timed per run: the first request, the post step. */
function timingGoals(d: Derived): Goal[] {
  const { nodeV, postV, med } = d;
  const goals = firstRequestGoalsOf(d);
  goals.push({
    figure: `post step with nothing to revoke, spawn → exit, median of ${RUNS}`,
    value: `${med(postV)} ms = ${(med(postV) / med(nodeV)).toFixed(2)} × \`node -e 0\`'s ${med(nodeV)} ms`,
    goal: `≤ 1.6 × \`node -e 0\` = ${(1.6 * med(nodeV)).toFixed(0)} ms`,
    met: FEW_RUNS ? undefined : med(postV) <= 1.6 * med(nodeV),
  });
  return goals;
}

/** The first request's goals: each cloud's main step against configure-aws-credentials. */
export function firstRequestGoals(m: ColdStart): Goal[] {
  return firstRequestGoalsOf(derived(m));
}

function firstRequestGoalsOf(d: Derived): Goal[] {
  const { awsV, azureV, cawcV, med } = d;
  const goals: Goal[] = [];
  for (const v of [awsV, azureV]) {
    if (!v) continue;
    goals.push({
      figure: `first request after process start, ${v.name}, median of ${RUNS}`,
      value: `${med(v)} ms${cawcV ? ` = ${(med(v) / med(cawcV)).toFixed(2)} × configure-aws-credentials' ${med(cawcV)} ms` : ''}`,
      goal: cawcV
        ? `≤ ${FIRST_REQUEST_SHARE} × configure-aws-credentials = ${(FIRST_REQUEST_SHARE * med(cawcV)).toFixed(0)} ms`
        : `≤ ${FIRST_REQUEST_SHARE} × configure-aws-credentials: not measured here (set CAWC_BUNDLE), and the issue records no time for it`,
      met: cawcV && !FEW_RUNS ? med(v) <= FIRST_REQUEST_SHARE * med(cawcV) : undefined,
    });
  }
  return goals;
}

/** The goals of size: peak RSS and the bundle's bytes. */
function footprintGoals(m: ColdStart, d: Derived): Goal[] {
  const goals: Goal[] = [];
  const { awsV, azureV, cawcV, rssOf, distFiles, distBytes, cawcDistBytes } = d;
  const rssGoalKiB = cawcV ? rssOf(cawcV) : CAWC_RECORDED.peakRssKiB;
  const rssGoalText = cawcV
    ? `≤ configure-aws-credentials' ${mib(rssGoalKiB)} (measured here)`
    : `≤ configure-aws-credentials' ${mib(rssGoalKiB)} (the issue author's figure, not measured here)`;
  for (const v of [awsV, azureV]) {
    if (!v) continue;
    goals.push({
      figure: `peak RSS, ${v.name}, median of ${RSS_RUNS}`,
      value: mib(rssOf(v)),
      goal: rssGoalText,
      met: rssOf(v) <= rssGoalKiB,
    });
  }
  const distGoal = cawcDistBytes ?? CAWC_RECORDED.distBytes;
  goals.push({
    figure: `bundle size (${shown(m.bundle.dir)}/, every file)`,
    value: `${mb(distBytes)} (${distBytes.toLocaleString('en')} bytes, ${distFiles.length} files)`,
    goal: cawcDistBytes
      ? `≤ configure-aws-credentials' dist, ${mb(cawcDistBytes)} (measured here)`
      : `≤ configure-aws-credentials' dist, 3.9 MB = 3,900,000 bytes (the issue's figure, not measured here)`,
    met: distBytes <= distGoal,
  });
  return goals;
}

/** The sections of the cold starts: the rounds, configure-aws-credentials, the bundle. */
export function sayColdStart(bench: Bench, m: ColdStart) {
  const d = derived(m);
  sayRounds(bench, m, d);
  sayCawc(bench, m, d);
  sayBundle(bench, m, d);
}

/** The cold-start rounds: each variant's time to first request or exit, peak RSS, the SDKs it loads. */
function sayRounds({ say, table }: Bench, m: ColdStart, d: Derived) {
  const { nodeV, tlsV, med, rssOf } = d;
  say(`## Cold start and memory (${RUNS} rounds, interleaved)`);
  say('');
  say(
    `Each round runs every variant once, in turn: ${m.variants.map((v) => v.name).join(', ')}; ${WARM_UP_ROUNDS} rounds run first are not counted. Timed from just before \`spawn()\` to the arrival of the emulator's first request (named in the table), or to the process's exit. Peak RSS is the median of ${RSS_RUNS} further runs with \`scripts/bench/measure-step.mjs\` preloaded (it records \`process.resourceUsage().maxRSS\` at exit and the modules loaded), kept out of the timed runs. The AWS and post runs get the emulator's AWS endpoints only; the Azure runs its Entra and ARM endpoints and its CA in NODE_EXTRA_CA_CERTS, which a real runner would not need. The post step gets the AWS main step's inputs (\`revoke-on-exit\` off, the default, as in most jobs) and the state that main step saved (its header alone), and must exit 0 without a request. The Azure runs alone speak TLS here (Entra and ARM only answer HTTPS; the emulator's AWS endpoints and GitHub token endpoint are plain HTTP): a process's first TLS client context (Node's root certificates, parsed) costs ${mib(rssOf(tlsV) - rssOf(nodeV))} of peak RSS on this machine (\`node\` making one, against \`node -e 0\`), which the AWS runs and configure-aws-credentials' do not pay here and would on a runner, where every endpoint is HTTPS. The first request is the GitHub OIDC token request in every run: the action sends it before it loads its cloud's SDK chunk (which it loads once that request is on the wire, or 200 ms at most), configure-aws-credentials once its whole bundle is evaluated.`,
  );
  say('');
  // Whether a bundle file the step loaded defines the SDK's client class (a lazily loaded chunk, or the entry).
  const sdk = (v: Variant, pattern: RegExp) =>
    (m.modules.get(v.name) ?? []).some((url) => {
      if (!url.startsWith('file:')) return false;
      const path = fileURLToPath(url);
      return path.startsWith(`${m.bundle.dir}/`) && pattern.test(readFileSync(path, 'utf8'));
    });
  table(
    ['variant', 'timed to', 'median', 'spread', 'peak RSS', 'loads AWS SSO Admin SDK', 'loads Azure SDK'],
    m.variants.map((v) => {
      const measured = m.modules.has(v.name) && !v.name.startsWith('configure-aws');
      return [
        v.name,
        v.timed === 'exit' ? 'exit' : `first request (${[...m.firstOperations.get(v.name)!].join(', ')})`,
        `${med(v)} ms`,
        spread(m.times.get(v.name)!),
        m.rss.has(v.name) ? mib(rssOf(v)) : '',
        measured ? (sdk(v, /class SSOAdminClient\b/) ? 'yes' : 'no') : '',
        measured ? (sdk(v, /class AuthorizationManagementClient\b/) ? 'yes' : 'no') : '',
      ];
    }),
  );
  for (const [name, problems] of m.failures)
    say(
      `**${name}: ${problems.length} of ${RUNS} runs did not end as expected** (last: ${problems.at(-1)}).`,
    );
  if (m.failures.size > 0) say('');
}

/** How configure-aws-credentials was measured, or why it was not. */
function sayCawc({ say }: Bench, m: ColdStart, d: Derived) {
  const { cawcDistBytes } = d;
  if (m.cawc) {
    say(
      `configure-aws-credentials: \`${m.cawc.main}\` (version ${m.cawc.version}, ${mb(cawcDistBytes ?? 0)} in its dist/), inputs \`role-to-assume\`, \`aws-region\`, \`audience\`, \`output-env-credentials\` and \`disable-retry\`, the emulator's STS through AWS_ENDPOINT_URL_STS. It gets its token and assumes the role as on a runner; its closing GetCallerIdentity (since v6.2.1) is not emulated and fails (InvalidAction), and \`disable-retry\` stops it retrying that failure 12 times with backoff, about 100 s a run: it changes nothing before that call, and the peak RSS is that of the whole run.`,
    );
    say('');
    say(
      "Its dist/ is not on npm and cannot be fetched here, so it is rebuilt from its own source, outside this repository, the way its `package` script builds it: `esbuild src/index.ts --bundle --platform=node --target=node24 --outfile=dist/index.js` and the same for `src/cleanup/index.ts` (esbuild 0.28.1, its lock's; the script's last step, the THIRD-PARTY licence file, is written beside dist/, not in it). For v6.2.3 (release commit e6de054, whose own files were not to be had): `src/assumeRole.ts` as the release's PackedPolicyTooLarge fix left it (fa8d6a5), `src/index.ts` as v6.2.1's fix left it (4d281fb), and the modules it imports (helpers, CredentialsClient, profileManager, ProxyResolver, cleanup) at the versions that match those two; `package.json` and `package-lock.json` of 874aaac (the last dependency bump before the release, version 6.2.2; the release changed the version only), the runtime dependencies installed at the lock's versions (@actions/core 3.0.1, @aws-sdk/client-sts 3.1091.0, @smithy/node-http-handler 4.9.8, proxy-agent 8.0.2 and every transitive package pinned).",
    );
  } else {
    say(
      "configure-aws-credentials: **not measured here.** Its bundle (the action's dist/, not published to npm; the registry has no `configure-aws-credentials` or `@aws-actions/configure-aws-credentials`) cannot be fetched on this machine. To measure it, check out aws-actions/configure-aws-credentials at v6.2.3 elsewhere and run `CAWC_BUNDLE=/path/to/configure-aws-credentials/dist/index.js npm run bench`. Until then the goals compare with the issue author's figures (74 MiB peak RSS, 3.9 MB dist), and the first-request goal is not evaluated.",
    );
  }
  say('');
}

/** The bundle's files, their bytes, and which variant loaded each. */
function sayBundle({ say, table }: Bench, m: ColdStart, d: Derived) {
  const { distFiles, distBytes } = d;
  say('## Bundle');
  say('');
  say(
    "Every file of dist/, and which step loaded it in the rounds above. `__tests__/e2e/bundle.test.ts` holds the build the tests make to 4,000,000 bytes, every file and the folder as `du -sb` counts them: configure-aws-credentials' committed dist/ (6.3.0) is 3,900,000, and the Athena client (the report's `usage-source: athena://…`, loaded only then) took the bundle about 60 KB past it. Left out of it: what an SDK loads only with `import()`, for what the action never does (scripts/release/package.ts, `NEVER_IMPORTED`): apache-arrow and its flatbuffers (255 KB: @azure/storage-blob's blob listing in the Arrow format), open and its helpers (10 KB: @azure/identity's interactive sign-in).",
  );
  say('');
  const loadedBy = (file: string) =>
    m.variants
      .filter((v) =>
        (m.modules.get(v.name) ?? []).some(
          (url) => url.startsWith('file:') && fileURLToPath(url) === join(m.bundle.dir, file),
        ),
      )
      .map((v) => v.name.replace(/`/g, ''));
  table(
    ['file', 'bytes', 'loaded by'],
    [
      ...distFiles.map((f) => [
        [m.bundle.main, m.bundle.post].includes(join(m.bundle.dir, f.path))
          ? `**${f.path}** (entry)`
          : f.path,
        f.bytes.toLocaleString('en'),
        loadedBy(f.path).join('; '),
      ]),
      ['total', distBytes.toLocaleString('en'), ''],
    ],
  );
}

/** The first-request goals alone, and the rounds' times: `npm run bench -- --first-request` prints them. */
export function sayFirstRequests({ table }: Bench, m: ColdStart): void {
  table(
    ['figure', 'value', 'goal', 'met?'],
    firstRequestGoals(m).map((g) => [g.figure, g.value, g.goal, verdict(g.met)]),
  );
  table(
    ['variant', 'timed to', 'median', 'spread'],
    m.variants.map((v) => [
      v.name,
      timedTo(m, v),
      `${median(m.times.get(v.name)!)} ms`,
      spread(m.times.get(v.name)!),
    ]),
  );
}

const timedTo = (m: ColdStart, v: Variant) =>
  v.timed === 'exit' ? 'exit' : `first request (${[...m.firstOperations.get(v.name)!].join(', ')})`;

/**
 * BENCHMARKS.md (`report`) with only its first-request figures replaced by `m`'s (`npm run bench --
 * --first-request --write`): the two goals' rows and the count of goals met, and the median and
 * spread of the variants timed to their first request in the cold-start table, whose other columns
 * (peak RSS, the SDKs loaded) stay as the full run measured them; a line under that table says so.
 */
export function withFirstRequestRows(report: string, m: ColdStart, when: string): string {
  const cells = (line: string) => line.slice(2, -2).split(' | ');
  const row = (values: string[]) => `| ${values.join(' | ')} |`;
  // A goal's row is known by its figure without the runs it was the median of.
  const figure = (text: string) => text.replace(/, median of \d+$/, '');
  const goals = new Map(firstRequestGoals(m).map((g) => [figure(g.figure), g]));
  const timed = new Map(m.variants.filter((v) => v.timed === 'first request').map((v) => [v.name, v]));
  const note = `The first-request figures (the goals' two rows and the rows timed to a first request above) are of a later run of their own, ${when}: \`npm run bench -- --first-request --write\`, ${RUNS} rounds of \`node -e 0\` and the variants timed to a first request, interleaved, after ${WARM_UP_ROUNDS} not counted; the peak RSS and SDK columns are the full run's.`;
  const out: string[] = [];
  for (const line of report.replace(/^The first-request figures \([^\n]*\n\n/m, '').split('\n')) {
    const first = line.startsWith('| ') ? cells(line) : undefined;
    const goal = first && goals.get(figure(first[0]!));
    const variant = first && timed.get(first[0]!);
    if (goal) out.push(row([goal.figure, goal.value, goal.goal, verdict(goal.met)]));
    else if (variant && first.length === 7) {
      const times = m.times.get(variant.name)!;
      out.push(
        row([first[0]!, timedTo(m, variant), `${median(times)} ms`, spread(times), ...first.slice(4)]),
      );
    } else out.push(line);
  }
  // The goals' table: from its heading to the count of goals met under it.
  const table = out.slice(
    out.indexOf('## Goals'),
    out.findIndex((l) => / evaluated goals met; /.test(l)),
  );
  const verdicts = table.filter((l) => l.startsWith('| ') && cells(l).length === 4).map((l) => cells(l)[3]);
  const met = verdicts.filter((v) => v === 'met').length;
  const evaluated = verdicts.filter((v) => v === 'met' || v === 'NOT met').length;
  const notEvaluated = verdicts.filter((v) => v === 'not evaluated').length;
  return out
    .join('\n')
    .replace(
      /^\d+ of \d+ evaluated goals met; \d+ not evaluated\./m,
      `${met} of ${evaluated} evaluated goals met; ${notEvaluated} not evaluated.`,
    )
    .replace(/(\n\| `node` making one TLS client context \|[^\n]*\n)/, `$1\n${note}\n`);
}
