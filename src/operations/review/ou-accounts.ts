// The accounts under the OUs a reviewers file names (`ou-…` entries), read on the report's session
// through the expansion `target: ou-…` uses. A large organization's walk can take long: it says
// where its calls stand as any read does (engine/calls/read-progress.ts).
import type { UnitAccounts } from '../../core/inputs/org-targets.js';
import type { AccessReader } from '../../engine/run/access-reader.js';
import type { ProgressClock } from '../../engine/calls/progress.js';
import { withReadProgress, type CallActivity } from '../../engine/calls/read-progress.js';
import type { StepRunner } from '../runner.js';

/**
 * The accounts under each OU; an OU not read is warned of, and its entry then matches no row
 * through it (never more).
 */
export async function readOus(
  ous: string[],
  reader: Pick<AccessReader, 'accountsUnder'>,
  effects: Pick<StepRunner['effects'], 'info' | 'warning'>,
  progress: { activity?: CallActivity | undefined; clock?: ProgressClock } = {},
): Promise<Map<string, UnitAccounts>> {
  const accountsUnder = reader.accountsUnder?.bind(reader);
  if (ous.length === 0 || !accountsUnder) return new Map();
  const read = await withReadProgress(
    `the accounts under ${ous.length} OU(s) of the reviewers file`,
    () => accountsUnder(ous),
    { say: (line) => effects.info(line), ...progress },
  );
  for (const [ou, under] of read)
    if (typeof under === 'string')
      effects.warning(
        `review: the accounts under ${ou} were not read (${under}); its entries of the reviewers file match no row through it: \`organizations:ListAccountsForParent\` and \`organizations:ListOrganizationalUnitsForParent\`, from the organization's management account or a delegated administrator, read them`,
      );
  return read;
}
