// One kind's part of an Azure report (../access-reader.ts): the list it reads at each scope, its reads as
// rows, and the words its lists add to the read's plan, strategy and sources. The report reads
// every entry of ../report/kinds.ts alike, so a next kind adds an entry there, not steps through
// the read. Generic over the kind's target (`T`: an Azure grant's scope, for the kinds read through
// ARM). Nothing here writes.
import type { KindName } from '../../core/kinds/index.js';
import type { AzureGrant } from '../../core/types.js';
import type { HeldAssignment, UsageRead } from '../../engine/run/access-reader.js';
import type { UsageRequest } from '../../core/inputs/usage-inputs.js';
import type { ArmSession } from '../arm/session.js';
import type { SubscriptionNames } from './target-names.js';

/** One list read at each scope, in the words the read's plan and record say it with. */
export interface ReportedList {
  /** ARM's operation, as the plan names it: `RoleAssignments_ListForScope`. */
  call: string;
  /** The list, as the read's strategy says it: `one role assignment list`. */
  strategy: string;
  /** What it reads, as the read's window names its source (after `ARM`): `role assignments`. */
  source: string;
}

/** What every kind's rows are made with, over the session the kind chose (`S`: ARM's, unless it says another). */
export interface ReportContext<S = ArmSession> {
  session: S;
  /** Lines for the log: what could not be named or read. */
  notes: string[];
  subscriptions: SubscriptionNames;
  /** Whose markers count, and the manifests' entries (../report/held.ts). */
  judge: MarkerJudge;
  /** A role `role` asks for; with `unsure`, also one whose role cannot be told (a row is never hidden for it). */
  wantedRole: (role: { id: string; name?: string | undefined }, unsure?: boolean) => boolean;
}

/** A kind's rows, and the groups among their principals whose users `expand-groups` lists. */
export interface ReportedRows {
  held: HeldAssignment[];
  groups: string[];
}

/**
 * A kind as the report reads it: method syntax, so that a table of kinds whose reads differ is one
 * list (each entry is handed back only its own reads).
 */
export interface ReportedKind<R, S = ArmSession, T = AzureGrant['scope']> {
  /** The kind its rows are (core/kinds/: one of KINDS, or one registered by registerKind). */
  kind: KindName;
  /** Its lists, each one call per target, in the order the plan says them. */
  lists: readonly ReportedList[];
  /** Its lists at every target; where one cannot be read, none of its rows and a note why. */
  read(session: S, targets: T[], notes: string[]): Promise<R>;
  /** Whether its lists could not be read (and a note says why): none of its rows are known. */
  unread(reads: R): boolean;
  /** What it read, in the line the log's notes start with; none where it could not read. */
  said(reads: R, targets: readonly T[]): string | undefined;
  /** The targets its rows are shown at: a subscription among them is named by one read. */
  shownAt(reads: R): T[];
  /** Its reads as rows, named, judged and kept to the roles asked for. */
  held(reads: R, context: ReportContext<S>): Promise<ReportedRows>;
  /**
   * `last-used: true`: the uses Azure keeps of its rows (PIM's activations of an eligibility), read
   * after the rows from its own reads (the schedules an activation names); `say` tells the cost
   * first. None for a kind whose use Azure does not log.
   */
  usage?(
    session: S,
    held: readonly HeldAssignment[],
    request: UsageRequest,
    say: (line: string) => void,
    reads: R,
  ): Promise<UsageRead>;
}

/**
 * Manifest path → the line of each assignment its entries write; `incomplete`, the manifests some
 * of whose entries did not resolve (what they write is not known, so an assignment missing from
 * `lines` may still be one of theirs).
 */
export type EntryLines = Map<string, Map<string, number>> & { incomplete: Set<string> };

/** What the report knows to judge a marker by. */
export interface MarkerJudge {
  /** Object IDs of `created-by` (lower case), and how a reason names them. */
  createdBy: Set<string>;
  shown: string;
  /** `owner/repo` of this run: its own manifests' markers are shown by path alone. */
  repository: string | undefined;
  /** The `manifest` input gave files: a marker counts only where an entry of its manifest lists it. */
  manifestsGiven: boolean;
  lines: EntryLines;
}

/**
 * A grant whose marker `created-by` wrote claims manifest `mark`: the manifest's, at the line of the
 * entry that lists `place`, when the step was given that manifest; else a warning saying why not.
 */
export function listedIn(
  mark: { repository: string; path: string },
  place: string,
  judge: Pick<MarkerJudge, 'repository' | 'manifestsGiven' | 'lines'>,
  /** Where the marker is: an assignment's `description`, a PIM request's `justification`. */
  field: 'description' | 'justification',
): Pick<HeldAssignment, 'manifest' | 'warning'> {
  const own = mark.repository === judge.repository;
  const claimed = own ? mark.path : `${mark.repository}:${mark.path}`;
  const claims = `its ${field} claims manifest \`${claimed}\``;
  if (!judge.manifestsGiven) return { manifest: { path: claimed } };
  const entries = own ? judge.lines.get(mark.path) : undefined;
  if (!entries)
    return {
      warning: `${claims}, which input \`manifest\` does not give${own ? '' : ' (it is another repository’s)'}: no entry was read to list it`,
    };
  const line = entries.get(place);
  if (line === undefined)
    return {
      warning: judge.lines.incomplete.has(mark.path)
        ? `${claims}, but not every entry of it resolved (see its warnings): none that did lists it`
        : `${claims}, but none of its entries lists it`,
    };
  return { manifest: { path: mark.path, line } };
}
