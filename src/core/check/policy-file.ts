// An access policy's check that needs no cloud, which a request and a review share: the file
// parsed, or the stop at every problem's line (core/output/stopped.ts says it). Pure.
import { parseAccessPolicy, type AccessPolicy } from '../manifest/access-policy.js';
import type { Stopped } from '../output/stopped.js';

/** The policy `text` holds, or the step's stop at its problems' lines under `headline` (`file`: where it was read). */
export function parsedAccessPolicy(
  text: string,
  file: string,
  headline: string,
): { policy: AccessPolicy } | { stopped: Stopped } {
  const parsed = parseAccessPolicy(text);
  if ('problems' in parsed)
    return { stopped: { invalid: { what: 'access policy', file, problems: parsed.problems, headline } } };
  return parsed;
}
