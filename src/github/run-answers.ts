// What GitHub's answers about a workflow run are taken to say (./runs.ts sends the requests): its
// state and latest attempt, which job it is (workflow, number, actor), its page and repository for
// the summary's link, and who approved its deployments. Each part is taken only in the shape GitHub
// gives it: an answer in another shape is unreadable or says nothing, never a guess.
import type { JobOrigin, RunRef, RunState } from '../core/claims/claims.js';

const STATUSES = new Set([
  'completed',
  'queued',
  'in_progress',
  'waiting',
  'requested',
  'pending',
  'action_required',
]);
const CONCLUSION = /^[a-z_]{1,30}$/;

/**
 * The run's state from "Get a workflow run": its latest attempt, going or completed (with its
 * conclusion and when it ended), and which job it is; any answer not of that run's ID, or without
 * its latest attempt, unreadable.
 */
export function runStateOf(data: Record<string, unknown>, run: RunRef): RunState {
  const status = data.status;
  if (typeof status !== 'string' || !STATUSES.has(status) || String(data.id) !== run.runId)
    return { state: 'unreadable', reason: 'GitHub’s answer is not a workflow run of that ID' };
  // The run's latest attempt: the plan holds it against the attempt each claim names.
  const latest = data.run_attempt;
  if (!Number.isSafeInteger(latest) || (latest as number) < 1)
    return {
      state: 'unreadable',
      reason: `GitHub’s answer does not say which attempt of run ${run.runId} is the latest`,
    };
  const seen = { latestAttempt: String(latest), ...pageOf(data, run), ...jobOf(data) };
  if (status !== 'completed') return { state: 'going', status, ...seen };
  const conclusion =
    typeof data.conclusion === 'string' && CONCLUSION.test(data.conclusion) ? data.conclusion : undefined;
  // A completed run's last update is when its latest attempt ended: the sweep counts a stuck grant from it.
  const updated = typeof data.updated_at === 'string' ? Date.parse(data.updated_at) : Number.NaN;
  return {
    state: 'completed',
    conclusion,
    ...(Number.isFinite(updated) ? { endedAt: updated } : {}),
    ...seen,
  };
}

/** A GitHub login: letters, digits and single hyphens, a bot's `[bot]` after it. */
const LOGIN = /^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}(?:\[bot\])?$/;
/** As much of a workflow's name as a plan line shows. */
const WORKFLOW_NAME_CHARS = 100;

/**
 * Which job the run is, for a reviewer (a plan line's "job <workflow> run N by <actor>"): each part
 * only in the shape GitHub gives it. The name is a repository's text: kept as text, cut, shown
 * through the inert-text helpers like every server's text.
 */
function jobOf(data: Record<string, unknown>): JobOrigin {
  const name =
    typeof data.name === 'string' ? [...data.name.trim()].slice(0, WORKFLOW_NAME_CHARS).join('') : '';
  const runNumber = data.run_number;
  const login = (data.actor as Record<string, unknown> | undefined)?.login;
  return {
    ...(name ? { workflow: name } : {}),
    ...(Number.isSafeInteger(runNumber) && (runNumber as number) > 0
      ? { runNumber: runNumber as number }
      : {}),
    ...(typeof login === 'string' && LOGIN.test(login) ? { actor: login } : {}),
  };
}

/**
 * Who approved the run's deployments, by login, from its review history: each `approved` entry's
 * user in GitHub's login shape. Any failure, or an answer in another shape, says nothing: an
 * approver is never guessed.
 */
export async function approversOf(read: () => Promise<{ data: unknown }>): Promise<{ approvers?: string[] }> {
  try {
    const { data } = await read();
    if (!Array.isArray(data)) return {};
    const logins = data.flatMap((entry: unknown) => {
      const e = entry as { state?: unknown; user?: { login?: unknown } | null } | null;
      const login = e?.user?.login;
      return e?.state === 'approved' && typeof login === 'string' && LOGIN.test(login) ? [login] : [];
    });
    return { approvers: [...new Set(logins)] };
  } catch {
    return {};
  }
}

/** `owner/repo` as GitHub names a repository. */
const FULL_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;

/**
 * The run's page and repository as the answer gives them, for the summary's link: only in the
 * shape GitHub writes them (an https page of this run's ID) and on the runner's own GitHub server
 * (GITHUB_SERVER_URL), since the answer is a server's text and a reviewer follows the link as the
 * run's page.
 */
function pageOf(data: Record<string, unknown>, run: RunRef): { url?: string; repository?: string } {
  const fullName = (data.repository as Record<string, unknown> | undefined)?.full_name;
  const repository = typeof fullName === 'string' && FULL_NAME.test(fullName) ? fullName : undefined;
  const page = data.html_url;
  const url =
    typeof page === 'string' &&
    new RegExp(`^https://[A-Za-z0-9.-]+(?::\\d+)?/[A-Za-z0-9._/-]+/actions/runs/${run.runId}$`).test(page) &&
    originOf(page) === originOf(process.env.GITHUB_SERVER_URL || 'https://github.com')
      ? page
      : undefined;
  return { ...(url ? { url } : {}), ...(repository ? { repository } : {}) };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
