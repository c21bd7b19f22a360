// The post step's revokes of what its main step saved of the kinds beside the assignments (their
// sections' `saves`), over the parts its session holds (engine/run/saved-sections.ts): each saved
// entry read by its own section's parser before any call (an entry no section reads, or one its
// parser refuses, is said and left), then, in its own turn among the post step's one plan of
// writes (./revoke-owned.ts), settled by the service's word on whether it is still what the step
// made, and only then revoked. It names no kind.
import { describeError } from '../../core/errors.js';
import type { Cloud, WrittenGrant } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { KindName } from '../../core/kinds/index.js';
import type { LoadedSectionEntry } from '../../core/state/saved-state.js';
import type { AuditTrail } from '../../engine/audit/trail.js';
import type { KindWriter, PlannedWriteOf, WriteEnded } from '../../engine/calls/write-plan.js';
import type { Deadline } from '../../engine/limits/deadline.js';
import type { SavedSection, SavedVerdict } from '../../engine/run/saved-sections.js';
import type { LeftBehind, RevokeTally } from './revoke-report.js';

/** A saved entry its section's parser read: the part it is of, and what it stands for. */
export interface ReadEntry {
  slot: number;
  part: SavedSection;
  entry: unknown;
}

/** What the revokes of the entries read came to. */
export interface SectionRevokes {
  /** One per entry read, in slot order. */
  results: GrantResult[];
  tally: Pick<RevokeTally, 'revoked' | 'alreadyAbsent' | 'failed' | 'notShownOwn'>;
  /** Left in place, not shown to be the step's: how to remove each by hand. */
  left: LeftBehind[];
}

/** Each saved entry read by its section's own parser, or why it is refused. */
export function readSectionEntries(
  saved: readonly LoadedSectionEntry[],
  parts: readonly SavedSection[],
): { read: ReadEntry[]; refused: string[] } {
  const read: ReadEntry[] = [];
  const refused: string[] = [];
  for (const { slot, section, entry } of saved) {
    const part = parts.find((p) => p.kind === section);
    const parsed = part ? part.parse(entry) : `no section of the kind ${section} is registered`;
    if (typeof parsed === 'string' || !part) refused.push(`entry ${slot}: ${String(parsed)}`);
    else read.push({ slot, part, entry: parsed });
  }
  return { read, refused };
}

/**
 * The revokes of the entries read, as writes of the post step's plan, with each kind's writer: in
 * each one's own turn, the service's word that it is still what the step made (SavedVerdict), and
 * only then its delete. `ended`: what they came to, from their ends in the plan.
 */
export function sectionRevokes(
  read: readonly ReadEntry[],
  options: {
    cloud: Cloud;
    deadline: Deadline;
    audit?: AuditTrail | undefined;
    onResult?: ((result: GrantResult) => void) | undefined;
  },
): {
  writes: PlannedWriteOf[];
  writerOf(kind: KindName): KindWriter | undefined;
  ended(ends: readonly (WriteEnded | undefined)[]): SectionRevokes;
} {
  const verdicts = new Map<unknown, SavedVerdict>();
  const writers = new Map<string, KindWriter>();
  // The step's first record lists them beside its grants, whichever write comes first.
  options.audit?.planBesides(() => read.map((e) => e.part.planned(e.entry)));
  const writerOf = (part: SavedSection): KindWriter => {
    const writer = part.writer(
      (what, body) => options.audit?.recordChange(what, body),
      () => {},
    );
    return {
      unsent: (write, why) => writer.unsent(write, why),
      write: async (write, item, context) => {
        const verdict = await part.owns(item).catch((failure: unknown): SavedVerdict => ({
          ours: false,
          failed: true,
          reason: `not revoked: could not confirm this step made it: ${describeError(failure)}`,
        }));
        verdicts.set(write.item, verdict);
        if (!verdict.ours) return { status: verdict.failed ? 'FAILED' : 'SUCCEEDED', rows: [] };
        // None sent before the step's first `audit-log` record.
        await options.audit?.beforeFirstWrite('revoke', () => []);
        return writer.write(write, item, context);
      },
    };
  };
  for (const { part } of read) if (!writers.has(part.kind)) writers.set(part.kind, writerOf(part));
  const writes = read.map((e): PlannedWriteOf => e.part.revoke(e.entry));
  return {
    writes,
    writerOf: (kind) => writers.get(kind),
    ended: (ends) => {
      const tally = { revoked: 0, alreadyAbsent: 0, failed: 0, notShownOwn: 0 };
      const left: LeftBehind[] = [];
      const results = read.map((e, i): GrantResult => {
        const ended = ends[i];
        const verdict: SavedVerdict = verdicts.get(writes[i]!.item) ?? {
          ours: false,
          failed: true,
          reason: `not revoked: the ${options.deadline.seconds}s post-step deadline (\`post-timeout-seconds\`) passed before its turn`,
        };
        const done = verdict.ours ? ended?.rows[0] : undefined;
        if (done) {
          if (ended?.status !== 'SUCCEEDED') tally.failed++;
          else if (done.changed) tally.revoked++;
          else tally.alreadyAbsent++;
          options.onResult?.(done);
          return done;
        }
        const why = verdict.ours ? { reason: 'not revoked: its revoke was not sent', failed: true } : verdict;
        const gone = 'gone' in why && why.gone === true;
        if (why.failed) tally.failed++;
        else if (gone) tally.alreadyAbsent++;
        else {
          tally.notShownOwn++;
          left.push({ written: e.part.shown(e.entry), removeBy: e.part.removeBy(e.entry) });
        }
        const result = notRevokedRow(options.cloud, e.part.shown(e.entry), why, gone);
        options.onResult?.(result);
        return result;
      });
      return { results, tally, left };
    },
  };
}

/** A saved entry the post step did not revoke, and why, as its row of `results`. */
function notRevokedRow(
  cloud: Cloud,
  shown: WrittenGrant,
  why: { reason: string; failed?: boolean | undefined },
  gone: boolean,
): GrantResult {
  return {
    cloud,
    operation: 'revoke',
    ...shown,
    status: why.failed ? 'FAILED' : 'SUCCEEDED',
    changed: false,
    before: gone ? 'absent' : 'unknown',
    after: gone ? 'absent' : 'unknown',
    change: 'none',
    durationMs: 0,
    ...(why.failed ? { failureReason: why.reason } : { note: why.reason }),
  };
}
