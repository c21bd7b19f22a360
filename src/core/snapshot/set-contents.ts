// The content of the permission sets a manifest defines, as a snapshot keeps it: what a reconcile
// read of each (its name, description, session length, relay state, policies, boundary and tags,
// and the accounts it was not the latest version in), so a run reads again only the sets CloudTrail
// says were written since (core/snapshot/events.ts Touched.permissionSets). The object is the
// bucket's: its shape is checked, and what it says is used only to find that nothing would be
// written; a set the plan would write is read again first (aws/permission-sets/plan-sets.ts). And
// `missed`: the sets whose kept content a complete read found otherwise, with no event to explain
// it. Pure.
import { ACCOUNT_ID, PERMISSION_SET_ARN } from '../patterns.js';
import { inertText } from '../inert.js';

export interface KeptPolicyRef {
  name: string;
  path: string;
}

export type KeptBoundary =
  { kind: 'aws-managed'; arn: string } | { kind: 'customer-managed'; policy: KeptPolicyRef };

export interface KeptSetContent {
  name: string;
  description?: string;
  sessionMinutes: number;
  relayState?: string;
  /** Normalised JSON, as the read compares it. */
  inlinePolicy?: string;
  awsManagedPolicies: string[];
  customerManagedPolicies: KeptPolicyRef[];
  permissionsBoundary?: KeptBoundary;
  tags: Record<string, string>;
  /** The accounts where the set was not the latest version when read. */
  outdated: string[];
}

/** A set whose kept content a complete read found otherwise, with no event since to explain it. */
export interface MissedPermissionSet {
  kind: 'permission-set';
  permissionSetArn: string;
  name: string;
  /** `changed`: read with other content; `removed`: kept, and no longer in the instance. */
  change: 'changed' | 'removed';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isPlain = (v: unknown, max: number) => isText(v, max) && inertText(v) === v;
const optional = (v: unknown, max: number) => v === undefined || isText(v, max);
const isRef = (v: unknown) => isObject(v) && isText(v.name, 128) && isText(v.path, 512);
const list = (v: unknown, max: number, each: (item: unknown) => boolean) =>
  Array.isArray(v) && v.length <= max && v.every(each);

function isBoundary(v: unknown): boolean {
  if (v === undefined) return true;
  if (!isObject(v)) return false;
  return v.kind === 'aws-managed' ? isText(v.arn, 2048) : v.kind === 'customer-managed' && isRef(v.policy);
}

/** Why the kept contents are not contents (the first fault, named), or undefined when they are. */
export function setContentsProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'its permissionSetContents are not an object';
  for (const [arn, c] of Object.entries(value)) {
    const fine =
      PERMISSION_SET_ARN.test(arn) &&
      isObject(c) &&
      isPlain(c.name, 32) &&
      optional(c.description, 700) &&
      typeof c.sessionMinutes === 'number' &&
      Number.isInteger(c.sessionMinutes) &&
      optional(c.relayState, 240) &&
      optional(c.inlinePolicy, 32_768) &&
      list(c.awsManagedPolicies, 20, (p) => isText(p, 2048)) &&
      list(c.customerManagedPolicies, 20, isRef) &&
      isBoundary(c.permissionsBoundary) &&
      isObject(c.tags) &&
      Object.entries(c.tags).length <= 50 &&
      Object.entries(c.tags).every(([k, t]) => k.length <= 128 && isText(t, 256)) &&
      list(c.outdated, 10_000, (a) => typeof a === 'string' && ACCOUNT_ID.test(a));
    if (!fine)
      return `its permission set content ${JSON.stringify(arn.slice(0, 200))} is not a set's content`;
  }
  return undefined;
}

/** What the snapshot kept of each set (its content, or its facts: ./set-facts.ts) that still holds: of the sets no write since touched. */
export function keptUntouched<T>(
  kept: Readonly<Record<string, T>> | undefined,
  touched: ReadonlySet<string>,
): Record<string, T> {
  return Object.fromEntries(Object.entries(kept ?? {}).filter(([arn]) => !touched.has(arn)));
}

/**
 * The permission set names the snapshot kept (its `names` of set ARNs) that no write since touched.
 * A set's name never changes (UpdatePermissionSet takes none): only an edited object says otherwise,
 * so each is confirmed before a write at its set (aws/sso/session.ts confirmPermissionSetNames).
 */
export function keptSetNames(
  names: Readonly<Record<string, string>> | undefined,
  touched: ReadonlySet<string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(names ?? {}).filter(([arn]) => PERMISSION_SET_ARN.test(arn) && !touched.has(arn)),
  );
}

/** The content compared: every field but `outdated`, in a fixed order. */
function compared(c: KeptSetContent): string {
  return JSON.stringify([
    c.name,
    c.description ?? null,
    c.sessionMinutes,
    c.relayState ?? null,
    c.inlinePolicy ?? null,
    [...c.awsManagedPolicies].sort(),
    c.customerManagedPolicies.map((r) => `${r.path}${r.name}`).sort(),
    c.permissionsBoundary ?? null,
    Object.entries(c.tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ]);
}

/**
 * After a complete read: each kept set no write since touched whose content was read otherwise
 * (`changed`), or that the instance no longer holds (`removed`). A set the manifest no longer
 * defines, still in the instance, is not read, and not missed.
 */
export function missedSets(
  kept: Readonly<Record<string, KeptSetContent>> | undefined,
  read: Readonly<Record<string, KeptSetContent>>,
  touched: ReadonlySet<string>,
  exists: (arn: string) => boolean,
): MissedPermissionSet[] {
  const missed: MissedPermissionSet[] = [];
  for (const [arn, was] of Object.entries(keptUntouched(kept, touched)).sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    const now = read[arn];
    if (now === undefined && !exists(arn))
      missed.push({ kind: 'permission-set', permissionSetArn: arn, name: was.name, change: 'removed' });
    else if (now !== undefined && compared(now) !== compared(was))
      missed.push({ kind: 'permission-set', permissionSetArn: arn, name: now.name, change: 'changed' });
  }
  return missed;
}
