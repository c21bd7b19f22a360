// The AWS kinds of access (core/kinds/), as the adapter makes each: the driver a step writes its
// grants with, and the driver a reconcile's plan writes an entry's with. Each kind is written
// against the session it goes through (`S`: IAM Identity Center's, the one AWS session a step
// opens). A kind is added here; ./index.ts and ./reconcile.ts go through the table, and name no
// kind.
import type { AwsSessionSettings } from '../core/inputs/index.js';
import type { KindOfCloud } from '../core/kinds/index.js';
import type { AwsGrant } from '../core/types.js';
import type { GrantDriver } from '../engine/calls/driver.js';
import type { WaitBound } from '../engine/limits/deadline.js';
import {
  definedSetsOf,
  permissionSetEffectsOf,
  permissionSetProvisioning,
  permissionSetUpkeep,
} from './permission-sets/set-kind.js';
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

/**
 * What a sweep takes out, beside its revokes and whether or not it revokes anything, of what the
 * kinds wrote before: the permission-set kind's (./permission-sets/set-kind.ts).
 */
export const AWS_SWEEP_UPKEEP = permissionSetUpkeep;

/**
 * What a manifest's section defines beside its assignments, as a reconcile reads and plans it:
 * the permission-set kind's sets (./permission-sets/set-kind.ts).
 */
export const AWS_DEFINITIONS = definedSetsOf;

/**
 * What `operation: provision` re-provisions with, over the step's session: the permission-set
 * kind's (./permission-sets/set-kind.ts).
 */
export const AWS_PROVISIONING = permissionSetProvisioning;
