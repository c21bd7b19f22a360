// What a reconcile plans for the permission sets its manifest defines: each defined set found by
// name (the session's one list and describes, shared with every name the step looks up), its
// content read from that describe on (./read-content.ts: 5 calls more) and compared
// (core/permission-sets/diff.ts), whose it is decided by its tags
// (core/permission-sets/ownership.ts), and the accounts where it is not the latest version read
// (ListAccountsForProvisionedPermissionSet, LATEST_PERMISSION_SET_NOT_PROVISIONED), a change's
// blast radius naming everyone who holds the set in the accounts it reaches, whether the manifest
// manages them or not (./holders.ts); and every set of the instance carrying this manifest's tag
// that it no longer defines, planned `- delete` with everyone who holds it, in every account it is
// provisioned to. Each set's tags are
// the session's, read once per step (the tag forms of `manages` read them too).
// AWS-managed policies named in the manifest are those of the instance's partition. A set of that
// name that is not this manifest's is a problem at its entry's line, unless the entry adopts it.
import {
  inPartition,
  type LineProblem,
  type PermissionSetContent,
  type PermissionSetDefinition,
} from '../../core/permission-sets/definition.js';
import { contentChanges } from '../../core/permission-sets/diff.js';
import { OWNERSHIP_TAG } from '../../core/permission-sets/fields.js';
import { ownershipOf, setsToDelete, type TaggedSet } from '../../core/permission-sets/ownership.js';
import { planDefinedSet, type BlastRadius, type PermissionSetPlan } from '../../core/permission-sets/plan.js';
import { fenceAccounts, withoutFences } from '../../core/permission-sets/set-fences.js';
import { mapWithConcurrency } from '../../engine/limits/limits.js';
import { provisionedAccounts } from '../sso/provisioned-accounts.js';
import type { SsoSession } from '../sso/session.js';
import type { Holder } from './holders.js';
import { readContent, type KnownContent } from './known-contents.js';

/** Every assignment of a set, in the accounts it is provisioned to (./holders.ts). */
export type HoldersOf = (arn: string, accounts: readonly string[]) => Promise<Holder[]>;

export interface DefinedSetsPlan {
  plans: PermissionSetPlan[];
  /** Sets of a defined name that are not this manifest's, at their entries' lines. */
  problems: LineProblem[];
  /** The ARN of each defined set the instance holds, by name. */
  arns: Map<string, string>;
  /** Each set planned `- delete`, by ARN: every assignment of it. */
  held: Map<string, Holder[]>;
}

/** Sets read side by side: the session paces the calls. */
const SETS_AT_ONCE = 8;

export async function planDefinedSets(
  session: SsoSession,
  input: {
    definitions: readonly PermissionSetDefinition[];
    /** Each definition's desired content (core/permission-sets/definition.ts desiredContents). */
    contents: ReadonlyMap<string, PermissionSetContent>;
    /** This manifest's ownership value, `<owner>/<repo>:<manifest path>`. */
    own: string;
    holders: HoldersOf;
    /** The defined sets' content this step knows already, by ARN (./known-contents.ts). */
    known?: ReadonlyMap<string, KnownContent>;
  },
): Promise<DefinedSetsPlan> {
  const byName = await session.permissionSetsByName();
  const arns = new Map<string, string>();
  const problems: LineProblem[] = [];
  const defined = await mapWithConcurrency([...input.definitions], SETS_AT_ONCE, async (definition) => {
    const written = input.contents.get(definition.name);
    const desired = written && inPartition(written, session.instance);
    const arn = byName.get(definition.name);
    if (!desired) return [];
    if (!arn) return planDefinedSet(desired, undefined, { decision: 'create' });
    arns.set(definition.name, arn);
    const { content, fences, ownership, changes, outdated } = await currentOf(session, definition, desired, {
      arn,
      own: input.own,
      known: input.known?.get(arn),
    });
    if (ownership.decision === 'refuse') {
      problems.push({ line: definition.line, message: ownership.message, fix: ownership.fix });
      return [];
    }
    // An update leaves every account it is provisioned to outdated: all are read then; otherwise
    // only those already outdated (and, to take an expired fence out, the accounts the set is in).
    // One list each (none when this step read them already).
    const upkeep = !changes && fences.expired.length > 0;
    const [provisioned, stale] = await Promise.all([
      changes || upkeep ? provisionedAccounts(session, arn) : outdated(),
      upkeep ? outdated() : Promise.resolve([]),
    ]);
    const named = new Set([...fenceAccounts(fences.expired), ...stale]);
    const accounts = upkeep ? provisioned.filter((a) => named.has(a)) : provisioned;
    if (!changes && !upkeep && accounts.length === 0) return [];
    // Whom the change reaches: every assignment in those accounts, outside `manages` too.
    const reached = new Set(accounts);
    const holders = (await input.holders(arn, accounts)).filter((h) => reached.has(h.accountId));
    const blast = { accounts, principals: principalsOf(holders) };
    const readOutdated = changes ? [] : upkeep ? stale : accounts;
    return planDefinedSet(desired, { arn, content, blast, outdated: readOutdated, fences }, ownership);
  });
  const held = new Map<string, Holder[]>();
  const deletes = await mapWithConcurrency(
    await ownSetsUndefined(session, byName, input),
    SETS_AT_ONCE,
    async (set): Promise<PermissionSetPlan> => {
      const accounts = await provisionedAccounts(session, set.arn);
      const holders = await input.holders(set.arn, accounts);
      held.set(set.arn, holders);
      return {
        change: 'delete',
        name: set.name,
        arn: set.arn,
        blast: { accounts, principals: principalsOf(holders) },
      };
    },
  );
  const plans = [...defined.flat(), ...deletes];
  // Never a write from a snapshot's set names alone: each set written at is described first, and
  // every named one before a create (a wrong kept name could hide the set of that name).
  const creates = plans.some((p) => p.change === 'create');
  await session.confirmPermissionSetNames(
    creates ? byName.values() : plans.flatMap((p) => (p.change === 'create' ? [] : [p.arn])),
  );
  return { plans, problems, arns, held };
}

/**
 * A defined set's content, whose it is and whether it differs: as this step knows it (the snapshot's,
 * or read already), else read now. A content from the snapshot never grounds a write: where it says
 * the plan would write (a change, another owner, an outdated account), the set is read again and
 * planned from what was read.
 */
async function currentOf(
  session: SsoSession,
  definition: PermissionSetDefinition,
  desired: PermissionSetContent,
  set: { arn: string; own: string; known: KnownContent | undefined },
) {
  const { arn, known } = set;
  // The set's session fences are its own, not drift; an expired one is written out: read again
  // first when the content is the snapshot's.
  const judged = (read: PermissionSetContent) => {
    const { content, fences } = withoutFences(read, arn, Date.now(), desired.inlinePolicy);
    const ownership = ownershipOf(definition.name, content.tags, set.own, definition.adopt);
    const changes = contentChanges(desired, content).length > 0 || ownership.decision === 'adopt';
    return { content, fences, ownership, changes };
  };
  let current = judged(known?.content ?? (await readContent(session, arn)));
  const confirm =
    known?.kept === true &&
    (current.changes ||
      current.fences.expired.length > 0 ||
      current.ownership.decision !== 'own' ||
      known.outdated.length > 0);
  if (confirm) current = judged(await readContent(session, arn));
  const readOutdated = () =>
    provisionedAccounts(session, arn, { status: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' });
  // The outdated accounts this step read, or the snapshot's when they are none (no write from them).
  const outdated =
    known && (!known.kept || (!confirm && known.outdated.length === 0))
      ? () => Promise.resolve(known.outdated)
      : readOutdated;
  return { ...current, outdated };
}

/** The principal of each assignment, as the plan shows it (its words name each principal once). */
export function principalsOf(
  holders: readonly { type: 'USER' | 'GROUP'; principal: string }[],
): BlastRadius['principals'] {
  return holders.map((h) => ({ type: h.type, shown: h.principal }));
}

/** The sets of the instance the manifest does not define whose tags say they are this manifest's. */
async function ownSetsUndefined(
  session: SsoSession,
  byName: ReadonlyMap<string, string>,
  input: { definitions: readonly PermissionSetDefinition[]; own: string },
): Promise<TaggedSet[]> {
  const names = new Set(input.definitions.map((d) => d.name));
  const others = [...byName].filter(([name]) => !names.has(name));
  const tagged = await mapWithConcurrency(others, SETS_AT_ONCE, async ([name, arn]) => ({
    name,
    arn,
    tags: await ownershipTags(session, arn, input.own),
  }));
  return setsToDelete(tagged, [...names], input.own);
}

/**
 * A set's tags, as its owner is decided on: those a snapshot kept of a set no write touched since
 * (a tag write touches it) where they say it is not this manifest's, so a run from the snapshot
 * lists no untouched set's tags; read from the service otherwise, and always before a delete is
 * planned from them (never a write from the snapshot alone).
 */
async function ownershipTags(session: SsoSession, arn: string, own: string): Promise<Record<string, string>> {
  const kept = session.keptPermissionSetFacts(arn)?.tags;
  if (kept && kept[OWNERSHIP_TAG] !== own) return kept;
  return Object.fromEntries(
    (await session.permissionSetTags(arn)).flatMap((t) =>
      typeof t.Key === 'string' ? [[t.Key, t.Value ?? ''] as const] : [],
    ),
  );
}
