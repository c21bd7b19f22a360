// What a session fence needs to know of its permission set, read once per step: its name, its
// session duration (DescribePermissionSet: how long a session taken before the revoke may live),
// and whether the action may write into it: a set the action owns (tag `cloud-access:manifest`)
// or one whose manager opted in (tag `cloud-access:end-sessions` = `true`). Any other set's
// inline policy is someone else's to write. And the same facts as a reconcile's snapshot keeps
// them (core/snapshot/set-facts.ts) of the managed sets its manifest does not define, for a later
// preview: the one read of a set's facts serves both.
import { DescribePermissionSetCommand } from '@aws-sdk/client-sso-admin';
import { parseDuration } from '../../core/duration.js';
import { OWNERSHIP_TAG } from '../../core/permission-sets/fields.js';
import { isPlainName } from '../../core/snapshot/format.js';
import type { KeptSetFacts } from '../../core/snapshot/set-facts.js';
import type { SsoSession } from '../sso/session.js';

/** The tag whose value `true` opts a set the action does not own in to its session fences. */
export const END_SESSIONS_TAG = 'cloud-access:end-sessions';
/** IAM Identity Center's default session duration, when a set answers none. */
const DEFAULT_SESSION_MINUTES = 60;

export interface FenceSetFacts {
  name: string;
  sessionSeconds: number;
  /** Owned or opted in: its fences may be written. */
  fenced: boolean;
}

/**
 * Each set's facts, read once per step, whoever asks first. A fence that would be written reads
 * them from the service (the describe this step made already, and the step's one read of its
 * tags): whether the set may be written, and how long a fence must last, never come from a
 * snapshot. A dry run's preview writes nothing: it takes them from what a snapshot kept of a set
 * no write touched since (a defined set's content, a referenced set's facts; a tag written since
 * touches the set), so a plan with a delete at each of 150 kept sets reads none of them again.
 */
export function fenceSetFacts(
  session: SsoSession,
): (setArn: string, use: { preview: boolean }) => Promise<FenceSetFacts> {
  const read = new Map<string, Promise<FenceSetFacts>>();
  return (setArn, { preview }) => {
    const kept = preview ? session.keptPermissionSetFacts(setArn) : undefined;
    if (kept) return Promise.resolve(factsOf(kept.name, kept.sessionMinutes * 60, kept.tags));
    let facts = read.get(setArn);
    if (!facts) {
      facts = readFacts(session, setArn);
      read.set(setArn, facts);
    }
    return facts;
  };
}

async function readFacts(session: SsoSession, setArn: string): Promise<FenceSetFacts> {
  const { name, durationMs, tags } = await readSetFacts(session, setArn);
  return factsOf(
    name ?? setArn,
    durationMs !== undefined ? Math.round(durationMs / 1000) : DEFAULT_SESSION_MINUTES * 60,
    tags,
  );
}

/**
 * A set's name, session duration and tags: the describe this step made already, or one now, and
 * the step's one read of its tags.
 */
async function readSetFacts(
  session: SsoSession,
  setArn: string,
): Promise<{ name: string | undefined; durationMs: number | undefined; tags: Record<string, string> }> {
  const [described, tags] = await Promise.all([
    session.describedPermissionSet(setArn) ??
      session
        .send(
          'DescribePermissionSet',
          new DescribePermissionSetCommand({ InstanceArn: session.instance, PermissionSetArn: setArn }),
        )
        .then((answer) => answer.PermissionSet),
    session.permissionSetTags(setArn),
  ]);
  const duration = described?.SessionDuration ? parseDuration(described.SessionDuration) : undefined;
  return {
    name: described?.Name,
    durationMs: duration && typeof duration !== 'string' ? duration.ms : undefined,
    tags: Object.fromEntries(
      tags.flatMap((t) => (typeof t.Key === 'string' ? [[t.Key, t.Value ?? '']] : [])),
    ),
  };
}

/**
 * The facts a reconcile's snapshot keeps of each of `sets` (aws/snapshot/snapshot-run.ts
 * `setFacts`), kept or read now. Best effort: they serve a later preview only, so a set whose read
 * fails (deleted since the list, throttled past its retries) is left out, to be read again next
 * run, rather than failing the step that keeps them.
 */
export async function keptSetFactsOf(
  session: SsoSession,
  sets: readonly string[],
): Promise<Record<string, KeptSetFacts>> {
  const facts: Record<string, KeptSetFacts> = {};
  await Promise.all(
    [...new Set(sets)].map(async (arn) => {
      const known =
        session.keptPermissionSetFacts(arn) ?? (await readKeptFacts(session, arn).catch(() => undefined));
      if (known) facts[arn] = known;
    }),
  );
  return facts;
}

async function readKeptFacts(session: SsoSession, arn: string): Promise<KeptSetFacts | undefined> {
  const { name, durationMs, tags } = await readSetFacts(session, arn);
  // A name the snapshot's reader would refuse is not kept: the set is read again next run.
  if (!isPlainName(name)) return undefined;
  return {
    name,
    sessionMinutes: durationMs !== undefined ? Math.round(durationMs / 60_000) : DEFAULT_SESSION_MINUTES,
    tags,
  };
}

function factsOf(
  name: string,
  sessionSeconds: number,
  tags: Readonly<Record<string, string>>,
): FenceSetFacts {
  const owned = (tags[OWNERSHIP_TAG] ?? '') !== '';
  const optedIn = tags[END_SESSIONS_TAG]?.toLowerCase() === 'true';
  return { name, sessionSeconds, fenced: owned || optedIn };
}
