// A kind with a section of its own, whose targets are not ARM scopes (PIM for groups: `group:`
// targets and the manifest's `azure.groups`), or of another shape: its room plans, sweeps and
// reports them beside the scopes' kinds (and revokes on exit those of its creates that end with the
// job), and the Azure reconciler, sweeper, access reader and post step reach each such kind through
// this interface only, looping over the list kept here (AZURE_SECTIONS), which each kind's room
// adds itself to with one call (registerAzureSection). Kept below the adapter's table
// (../kinds.ts), which loads the rooms, so a room registers without a circle.
import type { AccessKind, KindShape } from '../../core/kinds/index.js';
import { AZURE_PARTS, type AzureManifestPart } from '../../core/manifest/azure-parts.js';
import { kindSections } from '../../core/manifest/section-parts.js';
import type { ReportRequest, SweepRequest, AzureSettings } from '../../core/inputs/index.js';
import type { AzureManifestSection } from '../../core/manifest/types.js';
import type { HeldAssignment, ReportManifest, UsageRow } from '../../engine/run/access-reader.js';
import type { NameSpan } from '../../core/usage/last-used.js';
import type { NotAUse, SignIn } from '../../core/usage/sign-ins.js';
import type { AuditTrail } from '../../engine/audit/trail.js';
import type { ReadRuns } from '../../engine/calls/driver.js';
import type { SectionPlan } from '../../engine/run/reconciler.js';
import type { SavedSection } from '../../engine/run/saved-sections.js';
import type { SweepUpkeep } from '../../engine/run/sweeper.js';
import type { Directory } from '../graph/directory.js';
import type { EntryLines } from './report.js';

/**
 * Whose requests count, and this run's repository (its own manifests are shown by path alone); a
 * report's also the manifests it was given, by the line of each entry (../report/places.ts), so a
 * manifest's marker is shown as the manifest's only where an entry lists it.
 */
export interface SectionJudge {
  createdBy: ReadonlySet<string>;
  shown: string;
  repository: string | undefined;
  manifestsGiven?: boolean;
  lines?: EntryLines;
}

/** What a reconcile hands the kind: the section, its marker, whose claims count and GitHub's word on their runs. */
export interface SectionPlanContext {
  directory: Directory;
  settings: AzureSettings;
  section: AzureManifestSection;
  /** `cloud-access:<owner>/<repo>:<manifest path>`. */
  marker: string;
  judge: SectionJudge;
  readRuns?: ReadRuns | undefined;
  now: number;
}

/** What a sweep hands the kind: its request, whose claims count (asked only if it has targets), GitHub's word. */
export interface SectionSweepContext {
  directory: Directory;
  request: SweepRequest;
  judge: () => SectionJudge;
  readRuns?: ReadRuns | undefined;
}

/** A sweep's upkeep of the kind's targets: weighed once, counted toward `max-deletions`, then made. */
export interface SectionSweep {
  deletions(now: number): Promise<number>;
  upkeep(now: number, options: { dryRun: boolean; audit?: AuditTrail }): Promise<SweepUpkeep>;
}

/** What a report reads at the kind's targets. */
export interface SectionReported {
  held: HeldAssignment[];
  /** The targets read, as the report names them (`group:<object ID>`). */
  targets: string[];
  notes: string[];
}

export interface AzureSection {
  /** The section's entries of the kind, planned beside its assignments; undefined when it has none. */
  plan(context: SectionPlanContext): Promise<SectionPlan | undefined>;
  /** What a sweep keeps up of what the kind wrote before; none: it keeps nothing up. */
  sweep?(context: SectionSweepContext): SectionSweep;
  /** A report's entry lines of the manifests' entries of the kind, added to `lines`; warnings for what does not resolve. */
  entryLines(
    directory: Directory,
    request: ReportRequest,
    manifests: readonly ReportManifest<AzureManifestSection>[],
    lines: EntryLines,
    warnings: string[],
  ): Promise<void>;
  /** A report's rows at the kind's targets the request names; undefined when it names none. */
  read(
    directory: Directory,
    request: ReportRequest,
    judge: SectionJudge,
  ): Promise<SectionReported | undefined>;
  /** Who last used its rows (`last-used: true`), merged with the scopes' kinds' read; absent: their rows say why not. */
  usage?(
    directory: Directory,
    held: readonly HeldAssignment[],
    say: (line: string) => void,
  ): Promise<SectionUsage>;
  /**
   * The post step's part of it, when its plan's section saves creates that end with the job
   * (`saves`): its parser of what it saved, its proof, its revoke, over the post step's directory.
   */
  saved?(directory: Directory): SavedSection;
  /** The key of the `azure` section it defines and its parser, when it has one of its own (core/manifest/azure.ts). */
  manifest?: AzureManifestPart;
  /** Its kind of access, registered with it when the core's list does not hold it (core/kinds/index.ts registerKind). */
  kind?: AccessKind<KindShape>;
}

/** A section's uses, as the access reader merges them into its usage read. */
export interface SectionUsage {
  signIns: SignIn[];
  roleNames: NameSpan[];
  notUses: Partial<Record<NotAUse, number>>;
  /** Why they were not read: a gap in the evidence. */
  unread?: string;
  notes: string[];
  /** Whether a row is the section's: its `unlogged` then says why its use is unknown, if it is. */
  owns(row: UsageRow): boolean;
  unlogged(row: UsageRow): string | undefined;
}

/** Every kind with a section of its own, in the order each registered. */
const SECTIONS = kindSections<AzureSection>(AZURE_PARTS);
export const AZURE_SECTIONS: readonly AzureSection[] = SECTIONS.list;

/**
 * Adds a kind with a section of its own to the list the Azure reconciler, sweeper and access
 * reader loop over (AZURE_SECTIONS), with its `azure` manifest key and its kind of access: one
 * call from its room, and no operation learns its name.
 */
export const registerAzureSection: <S extends AzureSection>(section: S) => S = SECTIONS.register;

/** The post step's parts of the sections that save creates, over its directory (`saved`). */
export const savedSectionsOf = (directory: Directory): SavedSection[] =>
  AZURE_SECTIONS.flatMap((s) => (s.saved ? [s.saved(directory)] : []));
