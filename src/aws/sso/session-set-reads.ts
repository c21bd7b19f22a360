// The permission sets a session knows by name: the list and describes behind names, each made once
// per step, the names a snapshot kept (confirmed before any write at them), each set's tags, and
// each describe's answer, which a defined set's content starts from. The session (./session.ts)
// holds one and answers for it.
import type { PermissionSet, Tag } from '@aws-sdk/client-sso-admin';
import { CloudAccessError } from '../../core/errors.js';
import type { PermissionSetRef } from '../../core/types.js';
import type { KeptSetContent } from '../../core/snapshot/set-contents.js';
import { factsOfContent, type KeptSetFacts } from '../../core/snapshot/set-facts.js';
import type { SharedReads } from '../../engine/limits/shared-reads.js';
import type { SsoCalls } from '../sdk/sso-calls.js';
import { permissionSetNotFound, permissionSetReads } from '../directory/names.js';
import { PermissionSetNames, type PermissionSetReads } from '../directory/permission-set-names.js';
import { readPermissionSetTags } from '../directory/permission-set-tags.js';

export class SessionSetReads {
  /** Permission set names a snapshot kept, by ARN: not described until a write at the set needs them. */
  private readonly keptNames = new Map<string, string>();
  /** Each describe's answer behind a name, by ARN. */
  private readonly described = new Map<string, PermissionSet>();
  /** Set contents a snapshot kept that no write since touched, by ARN: what a dry run may say, never a write's ground. */
  private readonly keptContents = new Map<string, KeptSetContent>();
  /** The name, session duration and tags a snapshot kept of a set it does not define, untouched since. */
  private readonly keptFacts = new Map<string, KeptSetFacts>();

  /** The list and describes behind names, each made once per step (a reconcile's tag forms share them). */
  readonly reads: PermissionSetReads = {
    arns: () => this.shared.get('permission-set-arns', () => permissionSetReads(this.calls).arns()),
    name: (arn) =>
      this.shared.get(`permission-set-name:${arn}`, () =>
        permissionSetReads(this.calls, (described, set) => this.described.set(described, set)).name(arn),
      ),
  };

  /** Names looked up over `reads`. */
  readonly names: PermissionSetNames;

  constructor(
    private readonly calls: SsoCalls,
    /** The session's reads made once per step. */
    private readonly shared: SharedReads,
  ) {
    this.names = new PermissionSetNames(this.reads, () => this.calls.instance);
  }

  knowNames(kept: Readonly<Record<string, string>>): void {
    for (const [arn, name] of Object.entries(kept)) {
      this.keptNames.set(arn, name);
      void this.shared.get(`permission-set-name:${arn}`, () => Promise.resolve(name));
    }
  }

  knowContents(kept: Readonly<Record<string, KeptSetContent>>): void {
    for (const [arn, content] of Object.entries(kept)) this.keptContents.set(arn, content);
  }

  /** The content a snapshot kept of the set, untouched since; undefined where it kept none. */
  keptContent(arn: string): KeptSetContent | undefined {
    return this.keptContents.get(arn);
  }

  knowFacts(kept: Readonly<Record<string, KeptSetFacts>>): void {
    for (const [arn, facts] of Object.entries(kept)) this.keptFacts.set(arn, facts);
  }

  /** The name, session duration and tags a snapshot kept of the set, untouched since: its content's, or its facts'. */
  keptFactsOf(arn: string): KeptSetFacts | undefined {
    const content = this.keptContents.get(arn);
    return content ? factsOfContent(content) : this.keptFacts.get(arn);
  }

  /**
   * Never a write from a snapshot's names alone: each of `arns` whose name a snapshot gave is
   * described before the plan writes at it, and a name the service answers otherwise stops the step.
   */
  async confirmNames(arns: Iterable<string>, where?: string): Promise<void> {
    const kept = [...new Set(arns)].flatMap((arn) => {
      const name = this.keptNames.get(arn);
      return name === undefined ? [] : [{ arn, name }];
    });
    const keep = (arn: string, set: PermissionSet) => this.described.set(arn, set);
    const named = await Promise.all(kept.map(({ arn }) => permissionSetReads(this.calls, keep).name(arn)));
    kept.forEach(({ arn }) => this.keptNames.delete(arn));
    const wrong = kept.filter(({ name }, i) => named[i] !== name);
    if (wrong.length > 0)
      throw new CloudAccessError(
        `the snapshot${where ? ` at ${where}` : ''} names ${wrong.length} permission set(s) otherwise than IAM Identity Center does (${wrong
          .slice(0, 5)
          .map(({ arn, name }) => `${arn}: \`${name}\` in the snapshot`)
          .join('; ')}): it was edited; nothing was written`,
        {
          input: 'snapshot',
          fix: `delete the snapshot's object${where ? ` (${where})` : ''}: the next run reads completely and writes it anew`,
        },
      );
  }

  /** A permission set's ARN: given, or found by name, describing only until it is. */
  async arnOf(ref: PermissionSetRef): Promise<string> {
    if (ref.kind === 'arn') return ref.arn;
    const arn = await this.names.arnOf(ref.name);
    if (arn) return arn;
    const names = [...(await this.names.all()).keys()];
    throw permissionSetNotFound(ref.name, names, this.calls.instance);
  }

  /** The permission set as the name lookup's describe answered it, if it was described. */
  describedSet(arn: string): PermissionSet | undefined {
    return this.described.get(arn);
  }

  /** A permission set's tags (ListTagsForResource), read once per step. */
  tags(arn: string): Promise<Tag[]> {
    return this.shared.get(`permission-set-tags:${arn}`, () => readPermissionSetTags(this.calls, arn));
  }
}
