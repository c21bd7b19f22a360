// The facts a snapshot keeps of each managed permission set the manifest does not define (its
// name, session duration and tags: core/snapshot/set-facts.ts), for a session fence's preview: the
// snapshot's where no write since touched the set (the session knows them, ./opened.ts), the
// others read now, a describe and a tag list each, so an older snapshot without them is filled.
import { DescribePermissionSetCommand } from '@aws-sdk/client-sso-admin';
import { parseDuration } from '../../core/duration.js';
import { isPlainName } from '../../core/snapshot/format.js';
import type { KeptSetFacts } from '../../core/snapshot/set-facts.js';
import type { SsoSession } from '../sso/session.js';

/** IAM Identity Center's default session duration, when a set answers none. */
const DEFAULT_SESSION_MINUTES = 60;

/**
 * Each set's facts, kept or read now. Best effort: they serve a later preview only, so a set whose
 * read fails (deleted since the list, throttled past its retries) is left out, to be read again
 * next run, rather than failing the step that keeps them.
 */
export async function setFactsOf(
  session: SsoSession,
  sets: readonly string[],
): Promise<Record<string, KeptSetFacts>> {
  const facts: Record<string, KeptSetFacts> = {};
  await Promise.all(
    [...new Set(sets)].map(async (arn) => {
      const known =
        session.keptPermissionSetFacts(arn) ?? (await readFacts(session, arn).catch(() => undefined));
      if (known) facts[arn] = known;
    }),
  );
  return facts;
}

async function readFacts(session: SsoSession, arn: string): Promise<KeptSetFacts | undefined> {
  const [described, tags] = await Promise.all([
    session.describedPermissionSet(arn) ??
      session
        .send(
          'DescribePermissionSet',
          new DescribePermissionSetCommand({ InstanceArn: session.instance, PermissionSetArn: arn }),
        )
        .then((answer) => answer.PermissionSet),
    session.permissionSetTags(arn),
  ]);
  const name = described?.Name;
  // A name the snapshot's reader would refuse is not kept: the set is read again next run.
  if (!isPlainName(name)) return undefined;
  const duration = described?.SessionDuration ? parseDuration(described.SessionDuration) : undefined;
  return {
    name,
    sessionMinutes:
      duration && typeof duration !== 'string' ? Math.round(duration.ms / 60_000) : DEFAULT_SESSION_MINUTES,
    tags: Object.fromEntries(
      tags.flatMap((t) => (typeof t.Key === 'string' ? [[t.Key, t.Value ?? '']] : [])),
    ),
  };
}
