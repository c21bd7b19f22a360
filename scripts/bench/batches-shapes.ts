// The batches `npm run bench:batches` runs, by name (scripts/bench/quota-batches.ts runs them).
import type { JobShape } from './quota-batches.js';

/** Every write completes this long after the emulator accepts it (as in `npm run bench`). */
export const WRITE_MS = 2000;

export const SCENARIOS: Record<string, JobShape[]> = {
  '60': [{ principals: 3, accounts: 20 }],
  // The same, each change recorded to `audit-log` (the emulator's S3): what the records cost.
  '60-audit': [{ principals: 3, accounts: 20, audit: true }],
  '100': [{ principals: 5, accounts: 20 }],
  '300': [{ principals: 15, accounts: 20 }],
  'two-jobs': [
    { principals: 5, accounts: 30 },
    { principals: 5, accounts: 30, offset: 100 },
  ],
  // The same grants made by two reconciles at once, each of its own manifest.
  'two-reconciles': [
    { principals: 5, accounts: 30, reconcile: true },
    { principals: 5, accounts: 30, offset: 100, reconcile: true },
  ],
  // The outside run's shape: two reconciles of 45 creates each (a joint bound of 12 s), where a
  // refusal's cost weighs three times what it does among 300.
  'two-reconciles-90': [
    { principals: 3, accounts: 15, reconcile: true },
    { principals: 3, accounts: 15, offset: 100, reconcile: true },
  ],
  // The same, with the permission set named by name in each manifest, as people write it: each
  // step describes the instance's sets to find its ARN, so more of the first second's 20 calls
  // go to reads before the first wave.
  'two-reconciles-90-by-name': [
    { principals: 3, accounts: 15, reconcile: true, setByName: true },
    { principals: 3, accounts: 15, offset: 100, reconcile: true, setByName: true },
  ],
  // The same 90 creates made by one reconcile: what the two add by sharing the instance.
  'one-reconcile-90': [{ principals: 6, accounts: 15, reconcile: true }],
};
