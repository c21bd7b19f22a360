// The content of the permission sets a manifest defines, as a reconcile with `snapshot` starts from
// it: each existing set's content kept in the snapshot where no write since touched it (and it still
// bears the kept name), read (./read-content.ts, with the accounts where it is not the latest
// version) where a write did, where the snapshot kept none, or on a complete read. A kept content
// only ever says that nothing would be written: a set whose kept content the plan would write from
// is read again first (./plan-sets.ts), so a stale or tampered snapshot can hide a set's drift until
// the next complete read, never cause a wrong write.
import { setContentOf, type PermissionSetContent } from '../../core/permission-sets/definition.js';
import type { KeptSetContent } from '../../core/snapshot/set-contents.js';
import { mapWithConcurrency } from '../../engine/limits/limits.js';
import { provisionedAccounts } from '../sso/provisioned-accounts.js';
import type { SsoSession } from '../sso/session.js';
import { readPermissionSetContent } from './read-content.js';

/** A defined set's content as the plan starts from it. */
export interface KnownContent {
  content: PermissionSetContent;
  /** The accounts where the set was not the latest version. */
  outdated: string[];
  /** From the snapshot, not read by this step: read again before the plan writes from it. */
  kept: boolean;
}

export interface DefinedContents {
  /** By ARN: each defined set the instance holds. */
  known: Map<string, KnownContent>;
  /** The sets read by this step. */
  read: number;
  /** Whether the instance holds a set of this ARN now. */
  exists(arn: string): boolean;
}

/** Sets read side by side: the session paces the calls. */
const SETS_AT_ONCE = 8;

/**
 * The defined sets' content: `kept` holds the snapshot's contents that no write since touched
 * (core/snapshot/set-contents.ts keptUntouched); undefined, every set is read.
 */
export async function readDefinedContents(
  session: SsoSession,
  names: readonly string[],
  kept: Readonly<Record<string, KeptSetContent>> | undefined,
): Promise<DefinedContents> {
  const byName = await session.permissionSetsByName();
  const arns = new Set(byName.values());
  const known = new Map<string, KnownContent>();
  let read = 0;
  const defined = names.flatMap((name) => {
    const arn = byName.get(name);
    return arn ? [{ name, arn }] : [];
  });
  await mapWithConcurrency(defined, SETS_AT_ONCE, async ({ name, arn }) => {
    const keptContent = kept?.[arn];
    if (keptContent && keptContent.name === name) {
      known.set(arn, { ...fromKept(keptContent), kept: true });
      return;
    }
    read++;
    known.set(arn, { ...(await readKnownContent(session, arn)), kept: false });
  });
  return { known, read, exists: (arn) => arns.has(arn) };
}

/** A set's content as this step reads it, and the accounts where it is not the latest version. */
export async function readKnownContent(
  session: SsoSession,
  arn: string,
): Promise<{ content: PermissionSetContent; outdated: string[] }> {
  const [content, outdated] = await Promise.all([
    readContent(session, arn),
    provisionedAccounts(session, arn, { status: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' }),
  ]);
  return { content, outdated };
}

/** A set's content, from the describe the name lookup made and the tags this step reads once. */
export const readContent = (session: SsoSession, arn: string): Promise<PermissionSetContent> =>
  readPermissionSetContent(session, arn, session.describedPermissionSet(arn), () =>
    session.permissionSetTags(arn),
  );

/** The contents as the snapshot keeps them, by ARN. */
export function keptOf(known: ReadonlyMap<string, KnownContent>): Record<string, KeptSetContent> {
  return Object.fromEntries(
    [...known].map(([arn, { content, outdated }]) => [arn, toKept(content, outdated)]),
  );
}

function toKept(c: PermissionSetContent, outdated: readonly string[]): KeptSetContent {
  return {
    name: c.name,
    ...(c.description !== undefined ? { description: c.description } : {}),
    sessionMinutes: c.sessionMinutes,
    ...(c.relayState !== undefined ? { relayState: c.relayState } : {}),
    ...(c.inlinePolicy !== undefined ? { inlinePolicy: c.inlinePolicy } : {}),
    awsManagedPolicies: [...c.awsManagedPolicies],
    customerManagedPolicies: c.customerManagedPolicies.map((p) => ({ name: p.name, path: p.path })),
    ...(c.permissionsBoundary !== undefined ? { permissionsBoundary: c.permissionsBoundary } : {}),
    tags: { ...c.tags },
    outdated: [...outdated].sort(),
  };
}

function fromKept(k: KeptSetContent): { content: PermissionSetContent; outdated: string[] } {
  return { content: setContentOf(k, k.inlinePolicy, k.tags), outdated: [...k.outdated] };
}

/**
 * A snapshot run's reader of the defined sets' content (aws/snapshot/snapshot-run.ts setContents):
 * what it read handed to `onKnown`, for the plan; none when the manifest defines no set.
 */
export function definedContentsReader(
  session: SsoSession,
  definitions: readonly { name: string }[] | undefined,
  onKnown: (known: ReadonlyMap<string, KnownContent>) => void,
) {
  return async (kept: Readonly<Record<string, KeptSetContent>> | undefined) => {
    if (!definitions?.length) return undefined;
    const { known, read, exists } = await readDefinedContents(
      session,
      definitions.map((d) => d.name),
      kept,
    );
    onKnown(known);
    return { contents: keptOf(known), read, exists };
  };
}
