// Who last used each row of a review: read when the reviewers file says `default-decision:
// revoke-unused` (over its `unused-after`) or the step sets `last-used: true`, through the report's
// own read and join (../report/access-usage.ts: AWS reads CloudTrail's GetRoleCredentials in every
// Region of the instance; Azure its eligibilities' PIM activations, its active assignments
// `unknown`). The step says what the evidence covers and warns
// where it is incomplete, since an incomplete read revokes nothing by default (./model/outcomes.ts).
import type { UsageRequest } from '../../core/inputs/usage-inputs.js';
import type { AccessRead } from '../report/index.js';
import type { AccessRow } from '../report/access-rows.js';
import { withUsage } from '../report/access-usage.js';
import type { StepRunner } from '../runner.js';
import type { ReviewersFile } from './model/reviewers-file.js';

/** What the review reads of usage: none, the step's `last-used: true`, or `revoke-unused`'s window. Pure. */
export function reviewUsageRequest(
  asked: UsageRequest | undefined,
  file: Pick<ReviewersFile, 'defaultDecision' | 'unusedAfter'>,
): UsageRequest | undefined {
  const window = file.defaultDecision === 'revoke-unused' ? file.unusedAfter?.ms : undefined;
  if (asked) return window === undefined ? asked : { ...asked, unusedAfterMs: window };
  if (window === undefined) return undefined;
  return { source: { kind: 'lookup-events' }, unusedAfterMs: window };
}

/** The read's rows with their usage columns, and whether the evidence was complete; the rows alone where none is read. */
export async function readReviewUsage(
  asked: UsageRequest | undefined,
  file: ReviewersFile,
  access: Pick<AccessRead, 'reader' | 'read' | 'rows'>,
  effects: StepRunner['effects'],
  now: number,
): Promise<{ rows: AccessRow[]; evidence?: { complete: boolean } }> {
  const request = reviewUsageRequest(asked, file);
  if (!request) return { rows: access.rows };
  const say = (line: string) => effects.info(line);
  const { rows, ending } = await withUsage(request, access.reader, access.read.held, access.rows, say, now);
  for (const line of ending?.lines ?? []) effects.info(line);
  for (const warning of ending?.warnings ?? [])
    effects.warning(
      `${warning}${file.defaultDecision === 'revoke-unused' ? ': `revoke-unused` revokes no undecided row by default this run' : ''}`,
    );
  return { rows, evidence: { complete: ending?.complete ?? false } };
}
