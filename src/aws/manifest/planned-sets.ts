// The permission sets a manifest defines that the instance does not hold yet: the manifest's
// assignments and `manages` may name them, so each resolves to a placeholder for the plan (never
// an ARN, so no call can take it for one) until its create answers the real ARN, which the writes
// then carry. A name the manifest does not define is looked up as ever, and not found is a problem
// (in `manages`, of a manifest that defines sets, one it deleted: to be removed from there). An
// assignment of one needs its create in the reconcile's write plan, and takes the ARN it answers.
import { CloudAccessError } from '../../core/errors.js';
import { printable } from '../../core/inputs/fields.js';
import type { PermissionSetRef } from '../../core/types.js';
import type { SsoSession } from '../sso/session.js';

const PREFIX = 'planned-permission-set:';

/** The placeholder a set still to be created stands under in the plan. */
export const plannedSetArn = (name: string) => `${PREFIX}${name}`;

/** Whether an ARN in the plan is a set still to be created: no read or write may send it. */
export const isPlannedSetArn = (arn: string) => arn.startsWith(PREFIX);

export class PlannedSets {
  /** Placeholder → the name the manifest defines. */
  readonly names = new Map<string, string>();

  constructor(
    private readonly session: SsoSession,
    private readonly defined: ReadonlySet<string>,
    /** The manifest defines permission sets (`aws.permission-sets`, empty or not). */
    private readonly definesSets = false,
  ) {}

  /**
   * A set `manages.permission-sets` names: as arnOf, but where the manifest defines sets, a name it
   * does not define that the instance does not hold is a set it stopped defining, which the
   * reconcile deleted: the fix is to stop naming it, not a "did you mean" to another set.
   */
  async managedArnOf(ref: PermissionSetRef): Promise<string> {
    if (!this.definesSets || ref.kind !== 'name' || this.defined.has(ref.name)) return this.arnOf(ref);
    const held = await this.session.permissionSetNames.arnOf(ref.name);
    if (held) return held;
    throw new CloudAccessError(
      `permission set \`${printable(ref.name)}\` is not defined in \`aws.permission-sets\` and not in ${this.session.instance}: a set the manifest stops defining is deleted`,
      { fix: 'remove it from `manages.permission-sets`' },
    );
  }

  /** A set's ARN: the instance's, else, for a set the manifest defines, its placeholder. */
  async arnOf(ref: PermissionSetRef): Promise<string> {
    if (ref.kind === 'name' && this.defined.has(ref.name)) {
      const held = await this.session.permissionSetNames.arnOf(ref.name);
      if (held) return held;
      const placeholder = plannedSetArn(ref.name);
      this.names.set(placeholder, ref.name);
      return placeholder;
    }
    return this.session.permissionSetArn(ref);
  }
}

/** Why an assignment of a set whose create did not succeed was not sent: no placeholder ever reaches the service. */
export const setNotCreated = (name: string): CloudAccessError =>
  new CloudAccessError(
    `the permission set \`${printable(name)}\` was not created (its create did not succeed), so its assignment was not sent`,
    { fix: 'see why the permission set’s create FAILED, above; the next run creates both' },
  );

/**
 * Why a new assignment of a set whose update FAILED was not sent: a new holder never receives
 * content the manifest has changed (or a half-written set).
 */
export const setNotUpdated = (name: string): CloudAccessError =>
  new CloudAccessError(
    `the permission set \`${printable(name)}\` was not updated (its update did not succeed), so its new assignment was not sent: it would have received content the manifest has changed`,
    {
      fix: 'see why the permission set’s update FAILED, above; the next run updates it, then creates the assignment',
    },
  );
