// Permission set names resolved to ARNs without describing the whole instance: ListPermissionSets
// answers ARNs only, and a name costs one DescribePermissionSet per permission set, each a call of
// the instance's collective 20 TPS (an instance with 50 permission sets would spend 2.6 s of it to
// find one name). So the listed permission sets are described in waves, stopping once every name
// asked so far is found; only a name still missing after the last wave has every name read, for
// its "did you mean".
import { isPermissionSetOfInstance } from '../../core/manifest/permission-set-tags.js';

/** The reads a by-name lookup is made of; SsoSession shares them with the tag forms of a reconcile. */
export interface PermissionSetReads {
  /** Every permission set ARN of the instance (ListPermissionSets, every page). */
  arns(): Promise<string[]>;
  /** One permission set's name (DescribePermissionSet). */
  name(arn: string): Promise<string | undefined>;
}

/**
 * The first wave: a small instance's permission sets, described in one round trip with the list
 * under the 19-call window. Each later wave is as large as all before it (8, 8, 16, 32, …), so a
 * name far down a long list costs a few round trips, and at most twice the describes it needed.
 */
export const FIRST_WAVE = 8;

export class PermissionSetNames {
  /**
   * The names of the permission sets described so far, in list order. IAM Identity Center keeps
   * names unique in an instance (CreatePermissionSet refuses a taken one); were two answered alike,
   * the first listed keeps the name, whether the lookup stopped early or read every name.
   */
  private readonly byName = new Map<string, string>();
  /** How many of the listed ARNs are described (the waves go down the list in order). */
  private described = 0;
  /** The wave under way: concurrent lookups wait for it rather than describe beside it. */
  private wave: Promise<void> | undefined;

  /** `reads` makes each list and describe once per step (SsoSession's, shared with the tag forms). */
  constructor(
    private readonly reads: PermissionSetReads,
    /** The instance the names are looked up in (known once the session is prepared). */
    private readonly instance: () => string,
  ) {}

  /** The ARN of the permission set named `name`; undefined once every one was described without it. */
  async arnOf(name: string): Promise<string | undefined> {
    const arns = await this.grantable();
    while (!this.byName.has(name) && this.described < arns.length)
      await this.nextWave(arns, Math.max(FIRST_WAVE, this.described));
    return this.byName.get(name);
  }

  /** Every permission set by name: what is still undescribed, in one wave. */
  async all(): Promise<Map<string, string>> {
    const arns = await this.grantable();
    while (this.described < arns.length) await this.nextWave(arns, arns.length);
    return new Map(this.byName);
  }

  /** The names found so far, by ARN (the sets described, or named by a snapshot). */
  known(): Record<string, string> {
    return Object.fromEntries(
      [...this.byName].filter(([name, arn]) => name !== arn).map(([name, arn]) => [arn, name]),
    );
  }

  /**
   * A listed permission set's name (or its ARN when the service answered none), as `all()` keys
   * it; undefined for an ARN not listed, or not grantable by name. One describe at most.
   */
  async nameOf(arn: string): Promise<string | undefined> {
    if (!(await this.grantable()).includes(arn)) return undefined;
    return (await this.reads.name(arn)) ?? arn;
  }

  /**
   * Only ARNs of the pattern an input ARN is held to, and of this instance, can be granted by name:
   * no other is described (a list that names another instance's permission set grants nothing by it).
   */
  private async grantable(): Promise<string[]> {
    const instance = this.instance();
    return [...new Set(await this.reads.arns())].filter((arn) => isPermissionSetOfInstance(arn, instance));
  }

  /**
   * The next `size` listed permission sets described, or the wave under way. A wave that fails
   * leaves `described` where it was: a later lookup describes the same ones again (the failed
   * describes are forgotten, the others kept), so no name is declared missing unread.
   */
  private nextWave(arns: string[], size: number): Promise<void> {
    return (this.wave ??= this.describe(arns.slice(this.described, this.described + size)).finally(
      () => (this.wave = undefined),
    ));
  }

  private async describe(batch: string[]): Promise<void> {
    const names = await Promise.all(batch.map((arn) => this.reads.name(arn)));
    batch.forEach((arn, i) => {
      const name = names[i] ?? arn;
      if (!this.byName.has(name)) this.byName.set(name, arn);
    });
    this.described += batch.length;
  }
}
