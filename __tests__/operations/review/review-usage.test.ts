import { describe, expect, it } from '@jest/globals';
import type { UsageRequest } from '../../../src/core/inputs/usage-inputs.js';
import type { ReviewersFile } from '../../../src/operations/review/model/reviewers-file.js';
import { reviewUsageRequest } from '../../../src/operations/review/review-usage.js';

const DAY = 86_400_000;
const file = (over: Partial<ReviewersFile> = {}): ReviewersFile => ({
  entries: [],
  defaultReviewers: [{ login: 'alice' }],
  due: { iso: 'P14D', ms: 14 * DAY },
  defaultDecision: 'keep',
  ...over,
});

describe('a review reads who last used each row when its reviewers file or its step asks', () => {
  it('reads nothing under `keep` or `revoke` without `last-used: true`', () => {
    expect(reviewUsageRequest(undefined, file())).toBeUndefined();
    expect(reviewUsageRequest(undefined, file({ defaultDecision: 'revoke' }))).toBeUndefined();
  });

  it('reads the event history over `unused-after` under `revoke-unused`', () => {
    expect(
      reviewUsageRequest(
        undefined,
        file({ defaultDecision: 'revoke-unused', unusedAfter: { iso: 'P30D', ms: 30 * DAY } }),
      ),
    ).toEqual({ source: { kind: 'lookup-events' }, unusedAfterMs: 30 * DAY });
  });

  it("reads as the step's `last-used: true` says, over the reviewers file's window where it gives one", () => {
    const asked: UsageRequest = { source: { kind: 'lookup-events' }, unusedAfterMs: 90 * DAY };
    expect(reviewUsageRequest(asked, file())).toEqual(asked);
    expect(
      reviewUsageRequest(
        asked,
        file({ defaultDecision: 'revoke-unused', unusedAfter: { iso: 'P7D', ms: 7 * DAY } }),
      ),
    ).toEqual({ ...asked, unusedAfterMs: 7 * DAY });
  });
});
