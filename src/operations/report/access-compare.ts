// `compare-to`: a previous report's JSON, read back to say who gained and who lost what since. The
// file comes from an artifact anyone with write access (or a pull request's checkout) could have
// replaced, so it is data of unknown shape: only rows whose IDs are strings are compared, and what
// they show is made inert again before it is shown. Pure.
import { inertText } from '../../core/inert.js';
import type { Cloud } from '../../core/types.js';
import { HOLDING_CLASSES, rowKey, type AccessRow, type HoldingClass } from '../../core/report/access-rows.js';

export interface ReportChanges {
  gained: AccessRow[];
  lost: AccessRow[];
}

/** The previous report's rows, or why the file cannot be compared with. */
export function previousRows(text: string, cloud: Cloud): { rows: AccessRow[] } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'is not JSON' };
  }
  if (!isObject(parsed) || parsed.version !== 1 || !Array.isArray(parsed.rows))
    return { problem: 'is not a report of this action (`version: 1` and `rows`)' };
  if (parsed.cloud !== cloud)
    return { problem: `is a report of \`${inertText(String(parsed.cloud))}\`, not \`${cloud}\`` };
  const rows = parsed.rows.flatMap((r): AccessRow[] => {
    if (!isObject(r)) return [];
    const text = (k: string) => (typeof r[k] === 'string' ? inertText(r[k]) : null);
    const principalId = text('principalId');
    const roleId = text('roleId');
    const targetId = text('targetId');
    if (!principalId || !roleId || !targetId) return [];
    const held = HOLDING_CLASSES.includes(r.held as HoldingClass) ? (r.held as HoldingClass) : 'foreign';
    return [
      {
        cloud,
        principalKind: text('principalKind') ?? 'principal',
        principalName: text('principalName'),
        principalId,
        role: text('role'),
        roleId,
        target: text('target'),
        targetId,
        held,
        manifest: text('manifest'),
        manifestLine: typeof r.manifestLine === 'number' ? r.manifestLine : null,
        run: text('run'),
        expiresAt: text('expiresAt'),
        viaGroup: text('viaGroup'),
        viaGroupId: text('viaGroupId'),
      },
    ];
  });
  return { rows };
}

/** What is in `now` and was not before (gained), and what was and is not now (lost). */
export function compareRows(before: readonly AccessRow[], now: readonly AccessRow[]): ReportChanges {
  const beforeKeys = new Set(before.map(rowKey));
  const nowKeys = new Set(now.map(rowKey));
  return {
    gained: now.filter((r) => !beforeKeys.has(rowKey(r))),
    lost: before.filter((r) => !nowKeys.has(rowKey(r))),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
