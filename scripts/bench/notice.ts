// One grant whose write takes NOTICE_WRITE_MS, in `npm run bench`: how many status reads the step
// makes, and how soon after the emulator completes the create a read sees it ended.
import type { Bundle } from './bundle.js';
import {
  FEW_RUNS,
  median,
  NOTICE_WRITE_MS,
  RUNS,
  spread,
  STATUS_READ,
  TERMINAL,
  type Bench,
  type Goal,
} from './context.js';
import { runNode } from './step.js';

export type Notice = Awaited<ReturnType<typeof noticeLatency>>;

/** One grant whose write takes NOTICE_WRITE_MS: status reads, and how soon its end is seen. */
export async function noticeLatency({ emulator, awsGrant, awsEnv }: Bench, bundle: Bundle) {
  const reads: number[] = [];
  const noticed: number[] = [];
  const exited: number[] = [];
  /** Runs that did not end SUCCEEDED with one create whose end a status read saw: left out of the figures. */
  const failed: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    emulator.reset();
    emulator.aws.config.writeDelayMs = NOTICE_WRITE_MS;
    const run = await runNode([bundle.main], { inputs: awsGrant(), env: awsEnv });
    const creations = [...emulator.aws.state.creations.values()];
    const statusReads = emulator.requests.filter((r) => STATUS_READ.test(r.operation));
    const first =
      creations.length === 1
        ? statusReads.find((r) => TERMINAL.has(r.statuses?.[creations[0]!.requestId] ?? ''))
        : undefined;
    if (run.outputs.status !== 'SUCCEEDED' || !first) {
      failed.push(
        `status ${run.outputs.status ?? 'none'}, ${creations.length} creates, ${first ? 'its end seen' : 'no read saw an end'}`,
      );
      continue;
    }
    reads.push(statusReads.length);
    noticed.push(first.at - creations[0]!.completesAt);
    exited.push(run.exitedAt - creations[0]!.completesAt);
  }
  return { reads, noticed, exited, failed };
}

/** The goals of the one write: its status reads, and how soon its end is noticed. */
export function noticeGoals(n: Notice): Goal[] {
  const noticeFailed = n.failed.length > 0 ? `; ${n.failed.length} of ${RUNS} runs failed, left out` : '';
  return [
    {
      figure: `status reads for one write that takes ${NOTICE_WRITE_MS / 1000} s, median of ${RUNS}`,
      value: `${median(n.reads)} (${spread(n.reads)}${noticeFailed})`,
      goal: '≤ 3',
      met: FEW_RUNS ? undefined : n.failed.length === 0 && median(n.reads) <= 3,
    },
    {
      figure: `terminal status noticed after it happens, median of ${RUNS}`,
      value: `${median(n.noticed)} ms (${spread(n.noticed)}${noticeFailed})`,
      goal: '≤ 500 ms',
      met: FEW_RUNS ? undefined : n.failed.length === 0 && median(n.noticed) <= 500,
    },
  ];
}

/** One write that takes NOTICE_WRITE_MS: status reads and how soon its end is seen. */
export function sayNotice({ say, table }: Bench, n: Notice) {
  say(`## One write that takes ${NOTICE_WRITE_MS / 1000} s (${RUNS} runs)`);
  say('');
  say(
    'One grant, the emulator completing its create 3 s after accepting it. Status reads are `Describe…Status` and `List…Status` calls. "Noticed" is the time from the emulator completing the request to the arrival of the first status read whose answer showed it ended (the request log records the status each answer gave); "exit" is from the completion to the step\'s exit.',
  );
  say('');
  table(
    ['figure', 'median', 'spread'],
    [
      ['status reads', String(median(n.reads)), spread(n.reads)],
      ['completion → first read that saw it ended', `${median(n.noticed)} ms`, spread(n.noticed)],
      ['completion → step exited', `${median(n.exited)} ms`, spread(n.exited)],
    ],
  );
  if (n.failed.length > 0) {
    say(`**${n.failed.length} of ${RUNS} runs failed and are left out:** ${n.failed.join('; ')}.`);
    say('');
  }
}
