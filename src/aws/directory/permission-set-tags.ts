// The permission sets a reconcile manifest manages by tag (`tag:KEY=VALUE`, `tag:KEY` in
// `aws.manages.permission-sets`): every permission set of the instance (ListPermissionSets, the
// list names are resolved from, read once per step), the tags of each (ListTagsForResource, once
// per step too: a reconcile's defined sets are read from the same answers), and
// the name of each match (DescribePermissionSet, shared with names too). Only ARNs of this
// instance are ever matched: a listed ARN of another instance is left out with a warning, so no
// answer of the server can widen what the manifest deletes from. Read only when a tag form is
// written.
import { ListTagsForResourceCommand, type Tag } from '@aws-sdk/client-sso-admin';
import { printable } from '../../core/inputs/fields.js';
import type { ManifestProblem } from '../../core/manifest/nodes.js';
import type { Located } from '../../core/manifest/types.js';
import { PERMISSION_SET_NAME } from '../../core/patterns.js';
import {
  isPermissionSetOfInstance,
  tagFormMatches,
  tagFormText,
  type PermissionSetTagForm,
} from '../../core/manifest/permission-set-tags.js';
import type { PermissionSetReads } from './permission-set-names.js';
import type { SsoCalls } from '../sdk/sso-calls.js';

const PATH = 'aws.manages.permission-sets';
/** The most ARNs a warning lists by name (the count says the rest). */
const SHOWN = 5;

/** A permission set a tag form matched, as the plan shows it. */
export interface TaggedPermissionSet {
  arn: string;
  /** Its name, when the service answered one a permission set can have. */
  name: string | undefined;
}

export interface TagMatches {
  /** Every permission set of the instance some form matched. */
  arns: Set<string>;
  /** What each form matched, in the manifest's order. */
  matches: { form: Located<PermissionSetTagForm>; sets: TaggedPermissionSet[] }[];
  /** Listed ARNs of another instance, left out. */
  warnings: ManifestProblem[];
}

/** Runs a lookup, a CloudAccessError becoming a problem at `line` of `path` (AwsReconciler's). */
export type Attempt = <T>(path: string, line: number, lookUp: () => Promise<T>) => Promise<T | undefined>;

export async function matchTaggedPermissionSets(
  session: SsoCalls & {
    permissionSets: PermissionSetReads;
    /** A set's tags: SsoSession's, read once per step (a reconcile's defined sets read them too). */
    permissionSetTags(arn: string): Promise<Tag[]>;
  },
  forms: Located<PermissionSetTagForm>[],
  attempt: Attempt,
): Promise<TagMatches> {
  const found: TagMatches = { arns: new Set(), matches: [], warnings: [] };
  const [first] = forms;
  if (!first) return found;
  const listed = await attempt(PATH, first.line, () => session.permissionSets.arns());
  if (!listed) return found;
  const instance = session.instance;
  const ours = [...new Set(listed)].filter((arn) => isPermissionSetOfInstance(arn, instance));
  const others = [...new Set(listed)].filter((arn) => !isPermissionSetOfInstance(arn, instance));
  if (others.length > 0)
    found.warnings.push({
      line: first.line,
      message: `\`${PATH}\`: ListPermissionSets answered ${others.length} ARN(s) that are not permission sets of ${instance}, left out of the tag forms' matches: ${others.slice(0, SHOWN).map(printable).join(', ')}${others.length > SHOWN ? ', …' : ''}`,
    });
  const tagged = await attempt(PATH, first.line, () =>
    Promise.all(ours.map(async (arn) => ({ arn, tags: await session.permissionSetTags(arn) }))),
  );
  if (!tagged) return found;
  for (const form of forms) {
    const arns = tagged.filter((t) => tagFormMatches(form.value, t.tags)).map((t) => t.arn);
    const sets = await Promise.all(
      arns.map(async (arn) => {
        const name = await attempt(PATH, form.line, () => session.permissionSets.name(arn));
        return { arn, name: name !== undefined && PERMISSION_SET_NAME.test(name) ? name : undefined };
      }),
    );
    for (const arn of arns) found.arns.add(arn);
    found.matches.push({ form, sets });
  }
  return found;
}

/** One permission set's tags, every page, read directly: SsoSession reads them once per step. */
export function readPermissionSetTags(session: SsoCalls, arn: string): Promise<Tag[]> {
  return session.paginate(
    'ListTagsForResource',
    (nextToken) =>
      new ListTagsForResourceCommand({
        InstanceArn: session.instance,
        ResourceArn: arn,
        NextToken: nextToken,
      }),
    (page) => page.Tags,
  );
}

/** A match as the log and the summary show it: `Name (arn)`, or the ARN alone. */
export const shownPermissionSet = (set: TaggedPermissionSet): string =>
  set.name ? `${set.name} (${set.arn})` : set.arn;

/** One line per tag form: what it matched, for the log and the plan's summary. */
export function tagMatchLines(matches: TagMatches['matches']): string[] {
  return matches.map(
    ({ form, sets }) =>
      `manages by \`${tagFormText(form.value)}\` (manifest line ${form.line}): ${
        sets.length === 0
          ? 'no permission set'
          : `${sets.length} permission set(s): ${sets.map(shownPermissionSet).join(', ')}`
      }`,
  );
}
