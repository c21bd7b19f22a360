// What a reconcile's `aws` section may ever delete from: the permission sets it names (or gives
// by ARN) and those of the instance whose tags match one of its tag forms. Names and tags share
// the instance's one list of permission sets; the calls the tags took are counted into the read.
import type { ManifestProblem } from '../../core/manifest/nodes.js';
import type { AwsManifestSection } from '../../core/manifest/types.js';
import { tagFormText } from '../../core/manifest/permission-set-tags.js';
import type { ReadReport } from '../../engine/run/reconciler.js';
import { matchTaggedPermissionSets, tagMatchLines, type Attempt } from '../directory/permission-set-tags.js';
import { totalCalls } from '../reads/every-assignment.js';
import type { SsoSession } from '../sso/session.js';
import type { PermissionSetRef } from '../../core/types.js';

const PATH = 'aws.manages.permission-sets';

export interface ManagedSets {
  arns: Set<string>;
  /** Permission set ARN → name, for the ones named or matched by tag (the plan shows the name). */
  names: Map<string, string>;
  /** What each tag form matched: the log's lines and the summary's. */
  byTag: string[];
  warnings: ManifestProblem[];
  problems: ManifestProblem[];
  /** The reads behind tag forms and what they cost; undefined without tag forms. */
  read: { strategy: string; calls: number } | undefined;
}

export async function readManagedPermissionSets(
  session: SsoSession,
  manages: AwsManifestSection['manages'],
  attempt: Attempt,
  /** A name's ARN: the session's lookup, or one that also knows the sets still to be created. */
  permissionSetArn: (ref: PermissionSetRef) => Promise<string> = (ref) => session.permissionSetArn(ref),
): Promise<ManagedSets> {
  const before = totalCalls(session);
  const [named, tagged] = await Promise.all([
    Promise.all(manages.permissionSets.map((l) => attempt(PATH, l.line, () => permissionSetArn(l.value)))),
    matchTaggedPermissionSets(session, manages.permissionSetTags, attempt),
  ]);
  const arns = new Set([...named.filter((a): a is string => a !== undefined), ...tagged.arns]);
  const forms = manages.permissionSetTags;
  // Tag forms alone that matched nothing would manage nothing: a mistyped tag, not a plan.
  const nothing =
    forms.length > 0 &&
    manages.permissionSets.length === 0 &&
    arns.size === 0 &&
    tagged.matches.length === forms.length;
  const problems = nothing
    ? forms.map((f) => ({
        line: f.line,
        message: `\`${PATH}\`: \`${tagFormText(f.value)}\` matches no permission set of ${session.instance}, and the section names none: it would manage nothing`,
        fix: 'check the tag key and value (both are case-sensitive), tag the permission sets, or name them',
      }))
    : [];
  const names = new Map<string, string>();
  manages.permissionSets.forEach((l, i) => {
    if (l.value.kind === 'name' && named[i]) names.set(named[i], l.value.name);
  });
  for (const { sets } of tagged.matches) for (const s of sets) if (s.name) names.set(s.arn, s.name);
  return {
    arns,
    names,
    byTag: tagMatchLines(tagged.matches),
    warnings: [
      ...tagged.warnings,
      // One that matched nothing beside others that did is worth a look, not a stop.
      ...(nothing ? [] : tagged.matches.filter((m) => m.sets.length === 0)).map(({ form }) => ({
        line: form.line,
        message: `\`${PATH}\`: \`${tagFormText(form.value)}\` matches no permission set of ${session.instance}: it manages nothing`,
      })),
    ],
    problems,
    read:
      forms.length > 0
        ? {
            strategy: `the managed permission sets: ListPermissionSets, ListTagsForResource per permission set, DescribePermissionSet per match${manages.permissionSets.length > 0 ? ' (and per name)' : ''}`,
            calls: totalCalls(session) - before,
          }
        : undefined,
  };
}

/** The tag forms' reads are part of the read: without them the plan could not be made. */
export function withTagReads(read: ReadReport, owned: ManagedSets | undefined): ReadReport {
  if (!owned?.read) return read;
  return {
    ...read,
    strategy: `${owned.read.strategy}; ${read.strategy}`,
    calls: read.calls + owned.read.calls,
  };
}
