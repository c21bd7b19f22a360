// What every family of `npm run bench` (bench.ts) shares: the settings of the run, the emulator it
// starts once and the inputs and environments of a grant against it, the lines of the report and its
// goals, and how figures are shown.
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const AWS_ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
/** The emulator's quotas (emulator/aws/account/config.ts) and the write duration the batches use. */
export const TPS = 20;
export const OUTSTANDING_CREATES = 15;
export const BATCH_WRITE_MS = 2000;
export const NOTICE_WRITE_MS = 3000;
export const RUNS = Number(process.env.BENCH_RUNS ?? 15);
if (!Number.isInteger(RUNS) || RUNS < 1)
  throw new Error(`BENCH_RUNS=${process.env.BENCH_RUNS}: not a positive integer`);
/** Below 15 runs per median, the goals that need 15 are not evaluated. */
export const FEW_RUNS = RUNS < 15;
export const RSS_RUNS = 5;
export const SEQUENTIAL = process.argv.includes('--sequential');
export const AZURE_PRINCIPAL = '5b2d8c1e-7f3a-4e6b-9d0c-2a1b3c4d5e6f';
export const STATUS_READ = /^(Describe|List)AccountAssignment(Creation|Deletion)Status$/;
export const TERMINAL = new Set(['SUCCEEDED', 'FAILED']);

// ---- statistics and how figures are shown

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
export const spread = (xs: number[]) =>
  xs.length === 0 ? 'no runs' : `min ${Math.min(...xs)}, max ${Math.max(...xs)}; runs: ${xs.join(', ')}`;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
export const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
/** A path as the report shows it: from the repository root when inside it. */
export const shown = (path: string) => (path.startsWith(`${ROOT}/`) ? relative(ROOT, path) : path);

export interface Goal {
  figure: string;
  value: string;
  goal: string;
  /** undefined: not evaluated (the note says why). */
  met: boolean | undefined;
}
export const verdict = (met: boolean | undefined) =>
  met === undefined ? 'not evaluated' : met ? 'met' : 'NOT met';

// ---- the run's context

export interface Bench {
  emulator: Emulator;
  azure: Emulator['azure'];
  /** The emulator's environment for an AWS step (nothing of Azure's, such as NODE_EXTRA_CA_CERTS). */
  awsEnv: Record<string, string>;
  azureEnv: Record<string, string>;
  awsGrant(): Record<string, string>;
  azureGrant(): Record<string, string>;
  /** The machine's load average (1 min) when the run started: the machine may be shared. */
  loadAtStart: number;
  /** The report's lines, as said: BENCHMARKS.md. */
  lines: string[];
  /** The goals' table, in the order the families add to it. */
  goals: Goal[];
  /** Prints a line of the report and keeps it. */
  say(line?: string): void;
  /** A Markdown table of the report, and the blank line after it. */
  table(header: string[], rows: string[][]): void;
}

/** Starts the emulator the run measures against, and the report's empty lines and goals. */
export async function startBench(): Promise<Bench> {
  const loadAtStart = loadavg()[0]!;
  const emulator = await startEmulator({ quiet: true });
  const azure = emulator.azure;
  const awsEnv = Object.fromEntries(Object.entries(emulator.env).filter(([k]) => !(k in (azure?.env ?? {}))));
  const azureEnv: Record<string, string> = azure
    ? {
        ACTIONS_ID_TOKEN_REQUEST_URL: emulator.env.ACTIONS_ID_TOKEN_REQUEST_URL!,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: emulator.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN!,
        ...azure.env,
      }
    : {};
  const awsGrant = () => ({
    cloud: 'aws',
    'aws-region': 'us-east-1',
    'role-to-assume': AWS_ROLE,
    principal: emulator.aws.userId('alice'),
    target: '111111111111',
    role: emulator.aws.permissionSetArn('ReadOnlyAccess'),
  });
  const azureGrant = () => ({
    cloud: 'azure',
    ...azure!.actionInputs,
    principal: AZURE_PRINCIPAL,
    'principal-type': 'User',
    target: `/subscriptions/${azure!.subscriptionId}`,
    role: 'Reader',
  });
  const lines: string[] = [];
  const say = (line = '') => {
    console.log(line);
    lines.push(line);
  };
  const table = (header: string[], rows: string[][]) => {
    say(`| ${header.join(' | ')} |`);
    say(`|${header.map(() => '---').join('|')}|`);
    for (const row of rows) say(`| ${row.join(' | ')} |`);
    say('');
  };
  return {
    emulator,
    azure,
    awsEnv,
    azureEnv,
    awsGrant,
    azureGrant,
    loadAtStart,
    lines,
    goals: [],
    say,
    table,
  };
}
