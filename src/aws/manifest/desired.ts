// The `aws` section's entries multiplied out into the assignments they ask for, once names are
// resolved and OU targets expanded. An OU multiplies by its accounts, so the product is counted
// first, from the sizes alone, as the manifest's own lists were when it was read: a few OUs of
// thousands of accounts must not build millions of assignments before the limit is noticed.
import { sizeProblem } from '../../core/manifest/fields.js';
import type { ManifestProblem } from '../../core/manifest/nodes.js';
import type { AwsManifestEntry } from '../../core/manifest/types.js';
import { type CurrentAssignment, type DesiredAssignment } from '../../core/plan/assignment-diff.js';
import { keyedAs } from '../../core/plan/assignment-diff.js';
import { LISTED_KIND } from '../../core/kinds/index.js';

/** An AWS assignment the manifest asks for: its target is the account ID the writes take. */
export type AwsDesired = DesiredAssignment<undefined, string>;
/** An AWS assignment the reads found. */
export type AwsCurrent = CurrentAssignment<string>;

/** One entry with its values resolved: IDs (undefined where a name was not found) and each target's accounts. */
export interface ResolvedEntry {
  entry: AwsManifestEntry;
  principals: (string | undefined)[];
  roles: (string | undefined)[];
  targets: (string[] | undefined)[];
}

/**
 * Every principal × permission set × account of each entry, or none and the problem when the
 * section would hold more than one may. `names` learns what each ID was written as, for the plan.
 */
export function desiredOfEntries(
  resolved: ResolvedEntry[],
  isManaged: (permissionSetArn: string, accountId: string) => boolean,
  names: Map<string, string>,
): { desired: AwsDesired[]; problem?: ManifestProblem } {
  const problem = sizeProblem(
    'aws',
    resolved.map(({ entry, targets }) => ({
      path: entry.path,
      line: entry.line,
      principals: entry.principals.length,
      roles: entry.roles.length,
      targets: targets.reduce((n, accounts) => n + (accounts?.length ?? 0), 0),
      unit: 'account(s) (OU targets counted by their accounts)',
    })),
  );
  if (problem) return { desired: [], problem };
  const desired = resolved.flatMap(({ entry, principals, roles, targets }) =>
    entry.principals.flatMap((p, pi) =>
      entry.roles.flatMap((r, ri) =>
        entry.targets.flatMap((_, ti) =>
          (targets[ti] ?? []).flatMap((accountId): AwsDesired[] => {
            const principalId = principals[pi];
            const roleId = roles[ri];
            if (principalId === undefined || roleId === undefined) return [];
            names.set(principalId, p.written);
            names.set(roleId, r.written);
            const parts = {
              principalId,
              principalType: entry.principalType,
              roleId,
              targetId: accountId,
              target: accountId,
            };
            return [
              {
                ...keyedAs(LISTED_KIND.aws, parts),
                written: { principal: p.written, role: r.written, target: accountId },
                line: entry.line,
                managed: isManaged(roleId, accountId),
                settings: undefined,
              },
            ];
          }),
        ),
      ),
    ),
  );
  return { desired };
}
