// The snapshot a reconcile or report keeps in S3 between runs (the `snapshot` input): what one run
// read of IAM Identity Center, so the next reads only what CloudTrail says changed since. Its
// format, and what an object read back may carry: the object is the bucket's, which others can
// write, so nothing in it is trusted beyond its shape. A tampered snapshot can hide drift until the
// next complete read, never cause a wrong write: a reconcile re-reads every place it would change
// (src/aws/snapshot/ reads and writes it). Pure.
import { createHash } from 'node:crypto';
import { ACCOUNT_ID, IDENTITY_STORE_PRINCIPAL_ID, INSTANCE_ARN, PERMISSION_SET_ARN } from '../patterns.js';
import { inertText } from '../inert.js';
import { setContentsProblem, type KeptSetContent } from './set-contents.js';
import { setFactsProblem, type KeptSetFacts } from './set-facts.js';

/** Bumped whenever a field's meaning changes: a snapshot of another format is not used. */
export const SNAPSHOT_FORMAT = 2;

export interface SnapshotPrincipal {
  principalType: 'USER' | 'GROUP';
  principalId: string;
}

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** The IAM Identity Center instance read. */
  instance: string;
  /** What the read covered (snapshotScope): another scope's snapshot is not used. */
  scope: string;
  /** When the last complete read started (ISO): `full-read-every` counts from it. */
  completeReadAt: string;
  /** CloudTrail's watermark (ISO): every write before it is in the places below. */
  watermark: string;
  /** The permission sets whose places were read (the managed ones then). */
  permissionSets: string[];
  /** The accounts whose places were read; null: every account. */
  accounts: string[] | null;
  /** `account|permissionSetArn` → the assignments there (an empty list: read, and none). */
  places: Record<string, SnapshotPrincipal[]>;
  /** Group ID → user ID → membership ID, for the groups whose members were read. */
  groups: Record<string, Record<string, string>>;
  /**
   * Membership ID → its group and user, for a membership a re-read no longer found, kept 24 hours
   * (a DeleteGroupMembership names only the membership; CloudTrail's overlap shows it again).
   */
  removedMemberships: Record<string, RemovedMembership>;
  /**
   * The principals the manifest gives by ID, confirmed of their type, with their names: a run from
   * the snapshot describes again only those CloudTrail says changed. A wrong entry cannot widen a
   * grant: IAM Identity Center refuses an assignment to an ID that is not a principal of its type.
   */
  principals: Record<string, KeptPrincipal>;
  /**
   * Names by ID, as the step found them: permission sets' (by ARN) and the user names and group
   * display names of the principals assigned at the places kept (by Identity Store ID). Display
   * text only: a run from the snapshot reads again those CloudTrail says changed.
   */
  names?: Record<string, string>;
  /**
   * The defined permission sets' content by ARN (./set-contents.ts): read again only where a write
   * since touched the set, and never the ground of a write.
   */
  permissionSetContents?: Record<string, KeptSetContent>;
  /**
   * The managed permission sets the manifest does not define, by ARN: their name, session
   * duration and tags (./set-facts.ts), read again only where a write since touched the set. An
   * older snapshot without them is used, and filled.
   */
  permissionSetFacts?: Record<string, KeptSetFacts>;
  /**
   * A report's usage ledger (`last-used: true`, core/usage/ledger.ts): read and checked by its own
   * reader, so a ledger it refuses costs the ledger alone, never the snapshot's assignments.
   */
  usage?: unknown;
}

export interface KeptPrincipal {
  principalType: 'USER' | 'GROUP';
  name: string;
}

export interface RemovedMembership {
  group: string;
  user: string;
  /** When a read found it gone (ISO). */
  removedAt: string;
}

/**
 * The scope a snapshot covers: the instance, and the manifest's path (reconcile) or the report's
 * filters (in a fixed order, so the same filters are the same scope).
 */
export function snapshotScope(
  of: { instance: string } & ({ manifest: string } | { filters: Record<string, string> }),
): string {
  const what =
    'manifest' in of
      ? { manifest: of.manifest }
      : { filters: Object.fromEntries(Object.entries(of.filters).sort(([a], [b]) => (a < b ? -1 : 1))) };
  return JSON.stringify({ instance: of.instance, ...what });
}

/** The scope's object under the prefix: one object per scope, named by its hash. */
export function snapshotObjectKey(prefix: string, scope: string): string {
  const hash = createHash('sha256').update(scope, 'utf8').digest('hex').slice(0, 32);
  const folder = prefix.replace(/\/+$/, '');
  return folder ? `${folder}/${hash}.json.gz` : `${hash}.json.gz`;
}

const isTime = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const PLACE = /^(\d{12})\|(.+)$/;
/** A membership ID as the Identity Store makes them (a GUID, optionally prefixed), or the emulator's. */
export const MEMBERSHIP_ID = /^[\w-]{1,64}$/;

/** The snapshot an object holds, or why it is none (its first fault, named). */
export function parseSnapshot(value: unknown): Snapshot | string {
  if (!isObject(value)) return 'it is not a JSON object';
  const s = value;
  if (s.format !== SNAPSHOT_FORMAT)
    return `it is of format ${JSON.stringify(s.format)}, this step reads format ${SNAPSHOT_FORMAT}`;
  if (typeof s.instance !== 'string' || !INSTANCE_ARN.test(s.instance))
    return 'its instance is no instance ARN';
  if (typeof s.scope !== 'string' || s.scope.length > 4096) return 'its scope is not text';
  if (!isTime(s.completeReadAt)) return 'its completeReadAt is no time';
  if (!isTime(s.watermark)) return 'its watermark is no time';
  if (
    !Array.isArray(s.permissionSets) ||
    !s.permissionSets.every((a) => typeof a === 'string' && PERMISSION_SET_ARN.test(a))
  )
    return 'its permissionSets are not permission set ARNs';
  if (
    s.accounts !== null &&
    !(Array.isArray(s.accounts) && s.accounts.every((a) => typeof a === 'string' && ACCOUNT_ID.test(a)))
  )
    return 'its accounts are not account IDs';
  if (!isObject(s.places)) return 'its places are not an object';
  for (const [key, principals] of Object.entries(s.places)) {
    const place = PLACE.exec(key);
    if (!place || !PERMISSION_SET_ARN.test(place[2]!))
      return `its place ${JSON.stringify(key.slice(0, 200))} is not account|permission set`;
    if (!Array.isArray(principals) || !principals.every(isPrincipal))
      return `a principal at place ${key} is not a USER or GROUP of the identity store`;
  }
  if (!isObject(s.groups)) return 'its groups are not an object';
  for (const [group, members] of Object.entries(s.groups)) {
    if (!IDENTITY_STORE_PRINCIPAL_ID.test(group) || !isObject(members))
      return `its group ${JSON.stringify(group.slice(0, 200))} is not a group's members`;
    for (const [user, membership] of Object.entries(members))
      if (
        !IDENTITY_STORE_PRINCIPAL_ID.test(user) ||
        typeof membership !== 'string' ||
        !MEMBERSHIP_ID.test(membership)
      )
        return `a member of group ${group} is not a user and membership ID`;
  }
  if (!isObject(s.removedMemberships)) return 'its removedMemberships are not an object';
  for (const [id, removed] of Object.entries(s.removedMemberships))
    if (
      !MEMBERSHIP_ID.test(id) ||
      !isObject(removed) ||
      typeof removed.group !== 'string' ||
      !IDENTITY_STORE_PRINCIPAL_ID.test(removed.group) ||
      typeof removed.user !== 'string' ||
      !IDENTITY_STORE_PRINCIPAL_ID.test(removed.user) ||
      !isTime(removed.removedAt)
    )
      return `its removed membership ${JSON.stringify(id.slice(0, 200))} is not a group, user and time`;
  if (!isObject(s.principals)) return 'its principals are not an object';
  for (const [id, kept] of Object.entries(s.principals))
    if (
      !IDENTITY_STORE_PRINCIPAL_ID.test(id) ||
      !isObject(kept) ||
      (kept.principalType !== 'USER' && kept.principalType !== 'GROUP') ||
      !isPlainName(kept.name)
    )
      return `its principal ${JSON.stringify(id.slice(0, 200))} is not a USER or GROUP with a plain name`;
  if (s.names !== undefined) {
    if (!isObject(s.names)) return 'its names are not an object';
    for (const [id, name] of Object.entries(s.names))
      if (!isPlainName(name) || id.length > 2048)
        return `its name for ${JSON.stringify(id.slice(0, 200))} is not a plain name`;
  }
  if (s.permissionSetContents !== undefined) {
    const problem = setContentsProblem(s.permissionSetContents);
    if (problem) return problem;
  }
  if (s.permissionSetFacts !== undefined) {
    const problem = setFactsProblem(s.permissionSetFacts);
    if (problem) return problem;
  }
  return s as unknown as Snapshot;
}

/**
 * A name the snapshot may hold: short, and as inert as the log shows it (no line break, control
 * character, `%` or workflow command), so a name read back is display text only. A name that is
 * not (a group's display name may hold any of these) is not kept: a name written that its reader
 * refuses would make every later run read completely.
 */
export function isPlainName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 256 && inertText(name) === name;
}

function isPrincipal(p: unknown): p is SnapshotPrincipal {
  return (
    isObject(p) &&
    (p.principalType === 'USER' || p.principalType === 'GROUP') &&
    typeof p.principalId === 'string' &&
    IDENTITY_STORE_PRINCIPAL_ID.test(p.principalId)
  );
}
