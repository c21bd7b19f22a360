// The AWS kinds of access (core/kinds/), as the adapter makes each: the driver a step writes its
// grants with, and the driver a reconcile's plan writes an entry's with. Each kind is written
// against the session it goes through (`S`: IAM Identity Center's, the one AWS session a step
// opens). A kind is added here; ./index.ts and ./reconcile.ts go through the table, and name no
// kind.
import type { AwsSessionSettings, ReconcileRequest } from '../core/inputs/index.js';
import type { AccessKind, KindOfCloud, KindShape } from '../core/kinds/index.js';
import { AWS_PARTS, type AwsManifestPart } from '../core/manifest/aws-parts.js';
import { kindSections } from '../core/manifest/section-parts.js';
import type { AwsGrant } from '../core/types.js';
import type { GrantDriver } from '../engine/calls/driver.js';
import type { WaitBound } from '../engine/limits/deadline.js';
import type { AwsManifestSection } from '../core/manifest/types.js';
import type { AssignmentKeyParts, CurrentAssignment, NameOf } from '../core/plan/assignment-diff.js';
import type { AuditTrail } from '../engine/audit/trail.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import type { PlannedWriteOf } from '../engine/calls/write-plan.js';
import type { Deadline } from '../engine/limits/deadline.js';
import type { SectionPlan } from '../engine/run/reconciler.js';
import type { SweepUpkeep } from '../engine/run/sweeper.js';
import type { SavedSection } from '../engine/run/saved-sections.js';
import type { HeldAssignment, ReportManifest } from '../engine/run/access-reader.js';
import { permissionSetEffectsOf, permissionSetSection } from './permission-sets/set-kind.js';
import type { PermissionSetProvisioning } from './permission-sets/provision-run.js';
import type { SnapshotRun } from './snapshot/snapshot-run.js';
import { AwsAssignmentDriver } from './sso/assignments.js';
import type { AwsPostGiven } from './sso/handed-over.js';
import type { SsoSession } from './sso/session.js';

/** What the adapter makes of a kind, over the session it goes through (`S`), with its drivers (`D`). */
export interface AwsKind<S = SsoSession, D extends GrantDriver<AwsGrant> = GrantDriver<AwsGrant>> {
  /**
   * The driver of a step's grants of the kind (assign, revoke, the post step), its waits ending
   * with the step's; a post step's with what its main step handed over.
   */
  driver(settings: AwsSessionSettings, session: S, bound: WaitBound, given?: AwsPostGiven): D;
  /** The driver of a reconcile's writes of the kind, for the principal type its entries write. */
  reconcileWriter(settings: AwsSessionSettings, session: S, bound: WaitBound): D;
}

export type AwsKindName = KindOfCloud<'aws'>;

// The effects the permission-set kind registers on a delete (./permission-sets/set-kind.ts): every
// path that deletes through these drivers runs them.
const accountAssignment: AwsKind<SsoSession, AwsAssignmentDriver> = {
  driver: (settings, session, bound, given) =>
    Object.assign(new AwsAssignmentDriver(settings, session, bound, given), {
      effects: permissionSetEffectsOf(settings, session, bound),
    }),
  reconcileWriter: (settings, session, bound) =>
    Object.assign(new AwsAssignmentDriver(settings, session, bound), {
      effects: permissionSetEffectsOf(settings, session, bound),
    }),
};

export const AWS_KINDS = {
  'aws-account-assignment': accountAssignment,
} satisfies Record<AwsKindName, AwsKind>;

/** What a reconcile reads and plans of a kind whose manifest section is its own (`aws.permission-sets`). */
export interface AwsSectionDefinitions {
  /** The snapshot's reader of its content, when the step keeps one (./snapshot/snapshot-run.ts). */
  contentsReader?: SnapshotRun['setContents'];
  /** The snapshot's reader of the facts it keeps of the sets the manifest references (./snapshot/snapshot-run.ts). */
  factsReader?: SnapshotRun['setFacts'];
  /**
   * Its section of the plan beside the assignments; undefined when the manifest holds none of it,
   * or a section of no change that says its checks (the permission sets' `policy-checks`).
   */
  plan(read: {
    current: CurrentAssignment<string>[];
    deletes: CurrentAssignment<string>[];
    creates: { roleId: string; target: string; written: { principal: string } }[];
    files: ReadonlyMap<string, { text: string } | { error: string }>;
    owner: string;
    named(rows: AssignmentKeyParts[]): Promise<NameOf>;
  }): Promise<SectionPlan | undefined>;
  /** Its writes, once planned: what the assignments' creates may need, by address. */
  writes(): readonly PlannedWriteOf[];
}

/**
 * A kind beside the assignments, as every operation that meets it runs it: what a reconcile
 * reads and plans of a manifest (`definitions`), what a sweep keeps up of what the kind wrote
 * before, whether or not it revokes anything (`sweepUpkeep`), and what `operation: provision` runs
 * (`provisioning`), what a report lists of it (`held`), and what the post step revokes of what
 * a main step saved of it (`saved`). The operations loop over AWS_SECTIONS and name none.
 */
export interface AwsSection {
  definitions?(
    session: SsoSession,
    section: AwsManifestSection,
    bound: WaitBound & { deadline: Deadline },
    /** The reconcile's inputs the kind reads (`policy-checks`). */
    inputs?: Partial<Pick<ReconcileRequest, 'policyChecks'>>,
  ): AwsSectionDefinitions;
  sweepUpkeep?(
    session: SsoSession,
    deps: AdapterDeps,
    query: { createdBy: ReadonlySet<string>; since: number; now: number },
    options: { dryRun: boolean; audit?: AuditTrail | undefined },
  ): Promise<SweepUpkeep>;
  provisioning?(session: SsoSession, bound: WaitBound): PermissionSetProvisioning;
  /** What `operation: report` lists of it beside the assignments: its rows, each with its evidence. */
  held?(
    session: SsoSession,
    manifests: readonly ReportManifest<AwsManifestSection>[],
  ): Promise<HeldAssignment[]>;
  /**
   * The post step's part of it, when its section saves creates that end with the job (its plan's
   * `saves`): its parser of what it saved, its proof, its revoke, over the post step's session.
   */
  saved?(session: SsoSession): SavedSection;
  /** The key of the `aws` section it defines and its parser, when it has one of its own (core/manifest/aws.ts). */
  manifest?: AwsManifestPart;
  /** Its kind of access, registered with it when the core's list does not hold it (core/kinds/index.ts registerKind). */
  kind?: AccessKind<KindShape>;
}

/** Every AWS kind beside the assignments: the permission sets (./permission-sets/set-kind.ts), then each registered. */
const SECTIONS = kindSections<AwsSection>(AWS_PARTS, [permissionSetSection]);
export const AWS_SECTIONS: readonly AwsSection[] = SECTIONS.list;

/**
 * Adds a kind beside the assignments to the list the operations loop over (AWS_SECTIONS), with its
 * manifest key and its kind of access: one call, and no operation learns its name.
 */
export const registerAwsSection: <S extends AwsSection>(section: S) => S = SECTIONS.register;

/** The post step's parts of the sections that save creates, over its session (`saved`). */
export const savedSectionsOf = (session: SsoSession): SavedSection[] =>
  AWS_SECTIONS.flatMap((s) => (s.saved ? [s.saved(session)] : []));
