// A permission set's content as a reconcile compares it with its manifest: the action's session
// fences (./session-fence.ts) are the set's own, not the manifest's, so its inline policy is
// compared without them, a live fence is never drift and never removed, and an expired one is the
// action's upkeep (`~ update: session fence expired`), not drift. Only statements of the exact
// shape bound to this set are fences; a policy the step cannot take apart is compared as before.
// Pure.
import type { PermissionSetContent } from './definition.js';
import { normalisedPolicy } from './inline-policy.js';
import { accountsOf, type SessionFence } from './session-fence.js';
import { fencedPolicy, idOf, withoutExpired } from './fenced-policy.js';

/** A set's fences at the time of the plan: those still needed, and those no longer. */
export interface SetFences {
  live: SessionFence[];
  expired: SessionFence[];
}

const NO_FENCES: SetFences = { live: [], expired: [] };

/**
 * The content read of the set `arn` without its fences (what the manifest's inline policy is
 * compared with: none when its fences were all it held), and its fences, live or expired at `now` (ms).
 * A fence's put writes `Statement` as a list; where the manifest writes its one statement as an
 * object (`desiredPolicy`), the one left is given in that form, which IAM takes as the same policy.
 */
export function withoutFences(
  content: PermissionSetContent,
  arn: string,
  now: number,
  desiredPolicy?: string,
): { content: PermissionSetContent; fences: SetFences } {
  const policy = fencedPolicy(content.inlinePolicy, arn);
  if ('unreadable' in policy || policy.fences.length === 0) return { content, fences: NO_FENCES };
  const statement =
    policy.others.length === 1 && statementIsObject(desiredPolicy) ? policy.others[0] : policy.others;
  const inlinePolicy =
    policy.others.length > 0
      ? normalisedPolicy({ Version: policy.version, ...idOf(policy), Statement: statement })
      : undefined;
  const { policy: kept, expired } = withoutExpired(policy, now);
  return { content: { ...content, inlinePolicy }, fences: { live: kept.fences, expired } };
}

/** Whether a policy's text writes its `Statement` as one object rather than a list. */
function statementIsObject(text: string | undefined): boolean {
  if (text === undefined) return false;
  try {
    const parsed = JSON.parse(text) as { Statement?: unknown };
    return (
      typeof parsed.Statement === 'object' && parsed.Statement !== null && !Array.isArray(parsed.Statement)
    );
  } catch {
    return false;
  }
}

/** The accounts fences name (each of a fence merged across accounts), each once, sorted. */
export const fenceAccounts = (fences: readonly SessionFence[]): string[] =>
  [...new Set(fences.flatMap(accountsOf))].sort();

/** Where a fence ends sessions, as a plan names it: its account, or a merged fence's accounts. */
const whereOf = (f: SessionFence): string => accountsOf(f).join(', ');

/** An expired fence's line in a plan. */
export const expiredFenceWords = (f: SessionFence): string =>
  `session fence expired in ${whereOf(f)} (sessions issued before ${f.before}, needed until ${f.expiresAt}): removed`;

/** A live fence kept by an update of the inline policy, as a plan says it. */
export const keptFenceWords = (f: SessionFence): string =>
  `session fence in ${whereOf(f)} kept (live until ${f.expiresAt})`;
