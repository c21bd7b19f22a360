// What the step reports: outputs, the per-grant results JSON, the job-summary rows. Pure.
import { escapeHtml, inertDeep, inertJson, inertText } from './inert.js';
import type { GrantResult, GrantStatus } from './types.js';

const SEVERITY: Record<GrantStatus, number> = { SUCCEEDED: 0, IN_PROGRESS: 1, FAILED: 2 };

export interface StepOutputs {
  status: GrantStatus;
  requestId: string;
  failureReason: string;
  changed: boolean;
  assignmentId: string;
  /** Azure with `duration`: when the first time-bound assignment ends. */
  expiresAt: string;
}

/** `status` is the worst over all grants; the others come from the first grant that has one. */
export function summariseResults(results: GrantResult[]): StepOutputs {
  const worst = results.reduce<GrantStatus>(
    (w, r) => (SEVERITY[r.status] > SEVERITY[w] ? r.status : w),
    'SUCCEEDED',
  );
  return {
    status: worst,
    requestId: results.find((r) => r.requestId)?.requestId ?? '',
    failureReason: results.find((r) => r.failureReason && r.status !== 'SUCCEEDED')?.failureReason ?? '',
    changed: results.some((r) => r.changed),
    assignmentId: results.find((r) => r.assignmentId)?.assignmentId ?? '',
    expiresAt: results.find((r) => r.expiresAt)?.expiresAt ?? '',
  };
}

/**
 * The `results` output: one object per grant, without internal fields. What a server sent
 * (request and assignment IDs, failure reasons, details) is made inert, as in every other output.
 */
export function resultsJson(results: GrantResult[]): string {
  return inertJson(
    results.map((r) => ({
      cloud: r.cloud,
      operation: r.operation,
      principal: r.principal,
      target: r.target,
      role: r.role,
      status: r.status,
      requestId: r.requestId === undefined ? null : inertText(r.requestId),
      failureReason: r.failureReason === undefined ? null : inertText(r.failureReason),
      alreadyExisted: r.alreadyExisted,
      changed: r.changed,
      plan: r.change,
      before: r.before,
      after: r.after,
      durationMs: r.durationMs,
      ...(r.assignmentId ? { assignmentId: inertText(r.assignmentId) } : {}),
      ...(r.expiresAt ? { expiresAt: inertText(r.expiresAt) } : {}),
      ...(r.detail ? { detail: inertDeep(r.detail) } : {}),
    })),
  );
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** What happened to a grant, in words: `created`, `already assigned`, `would create` … */
export function describeOutcome(r: GrantResult, dryRun: boolean): string {
  if (r.status === 'FAILED') return 'failed';
  if (r.status === 'IN_PROGRESS') return 'in progress';
  if (dryRun && r.change !== 'none') return `would ${r.change}`;
  if (r.operation === 'provision') return r.changed ? 'provisioned' : 'already current';
  if (r.operation === 'assign') return r.changed ? 'created' : 'already assigned';
  return r.changed ? 'deleted' : 'already absent';
}

export const SUMMARY_HEADER = [
  'Principal',
  'Target',
  'Role',
  'Before → after',
  'Status',
  'Request ID',
  'Time',
  'Note',
];

/** Provision: how many accounts were outdated, and what became of them. */
function provisionChange(r: GrantResult, dryRun: boolean): string {
  type Counted = 'outdated' | 'wouldProvision' | 'reprovisioned' | 'failed' | 'alreadyCurrent';
  const count = (key: Counted) => r.detail?.[key]?.length ?? 0;
  if (dryRun) return `${count('outdated')} outdated → would re-provision ${count('wouldProvision')}`;
  return `${count('outdated')} outdated → ${count('reprovisioned')} re-provisioned, ${count('failed')} failed, ${count('alreadyCurrent')} already current`;
}

/** Time-bound grants (Azure `duration`) add when each ends. */
function hasExpiry(results: GrantResult[]): boolean {
  return results.some((r) => r.expiresAt);
}

/** The job summary's columns: `Expires` only when a grant is time-bound. */
export function summaryHeader(results: GrantResult[]): string[] {
  return hasExpiry(results) ? [...SUMMARY_HEADER.slice(0, -1), 'Expires', 'Note'] : SUMMARY_HEADER;
}

/** The job summary's rows, every cell HTML-escaped: the summary is rendered as HTML. */
export function summaryRows(results: GrantResult[], dryRun: boolean): string[][] {
  const expires = hasExpiry(results);
  return results.map((r) =>
    [
      r.principal || '—',
      r.target,
      r.role,
      r.operation === 'provision'
        ? provisionChange(r, dryRun)
        : `${r.before} → ${r.after} (${describeOutcome(r, dryRun)})`,
      r.status === 'FAILED' && r.failureReason ? `FAILED: ${r.failureReason}` : r.status,
      r.requestId ?? '—',
      formatDuration(r.durationMs),
      ...(expires ? [r.expiresAt ?? '—'] : []),
      r.note ?? '',
    ].map(escapeHtml),
  );
}
