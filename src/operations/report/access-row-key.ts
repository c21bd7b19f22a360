// Which grant a report's row is, across reports: the key two reports compare it by (`compare-to`,
// ./access-compare.ts), and the kind an earlier report's row says by its word. Apart from the rows
// (./access-rows.ts), which are made from what this run read: these hold for a row read back from
// a file too, whatever its report's version wrote. Pure.
import {
  ASSIGNMENT_TYPES,
  GRANT_KINDS,
  KINDS,
  LISTED_KIND,
  rowKeyOf,
  type AssignmentType,
  type GrantKind,
} from '../../core/kinds/index.js';
import type { Cloud } from '../../core/types.js';
import type { AccessRow } from './access-rows.js';

/**
 * The kind a row of a `cloud` report says by its word: the kind the cloud lists for the word its
 * listed kind says (an active Azure PIM assignment is listed as the role assignment it makes),
 * else the cloud's one kind of that word; undefined for a word no kind of the cloud says. A row
 * of a report from before the column (or with no word of ASSIGNMENT_TYPES) holds the listed kind.
 */
export function kindOfWord(cloud: Cloud, word: unknown): GrantKind | undefined {
  const listed = LISTED_KIND[cloud];
  if (!ASSIGNMENT_TYPES.includes(word as AssignmentType) || KINDS[listed].assignmentType === word)
    return listed;
  return GRANT_KINDS.find((k) => KINDS[k].cloud === cloud && KINDS[k].assignmentType === word);
}

/**
 * What makes two rows one grant, across reports: the key of the row's kind (core/kinds/; a row
 * without one, the kind the cloud lists), and the group it is held through. A row holds no
 * principal type, and every ID is compared ignoring case, as a report read back from its file may
 * spell it.
 */
export const rowKey = (
  r: Pick<AccessRow, 'cloud' | 'principalId' | 'roleId' | 'targetId' | 'viaGroupId'> &
    Partial<Pick<AccessRow, 'inherited' | 'kind'>>,
): string =>
  [
    // Each kind keys its own, from the row's IDs as its shape reads them: two kinds of one
    // principal, role and scope are two grants.
    rowKeyOf(r.kind ?? LISTED_KIND[r.cloud], r),
    r.viaGroupId ?? '',
    // An inherited grant is another than one at the target itself; a row without one keeps its old key.
    ...(r.inherited ? [r.inherited] : []),
  ]
    .join('|')
    .toLowerCase();
