// Shared grants: an assign whose grants end with the job, finding a grant already there, relies on
// it rather than making it. The run that made it would revoke it as it ends, under this job, and the
// sweep would end it once that run had; so the step registers its reliance where both look
// (driver.relyOn), once per grant. A reliance that cannot be registered never fails the grant: the
// access is there, and the step warns that it may end early.
import { NotSentError } from './deadline.js';
import type { GrantDriver, Reliance } from './driver.js';
import type { Reported } from './grant-answers.js';
import { describeError } from '../core/errors.js';
import type { Grant, IdsOf } from '../core/types.js';

/** The grant's result with what relying on it came to, when the step found it in place. */
export async function withReliance<G extends Grant>(
  result: Reported,
  driver: GrantDriver<G>,
): Promise<Reported> {
  if (
    result.operation !== 'assign' ||
    result.status !== 'SUCCEEDED' ||
    result.before !== 'present' ||
    !result.resolved ||
    !driver.relyOn
  )
    return result;
  let reliance: Reliance | undefined;
  try {
    // The IDs the grant resolved to, as the driver gave them.
    reliance = await driver.relyOn(result.resolved as IdsOf<G>);
  } catch (error) {
    const why =
      error instanceof NotSentError
        ? 'the deadline passed before it could be written'
        : `its write failed: ${describeError(error)}`;
    reliance = {
      registered: false,
      note: "this run's reliance is not registered",
      warning: `this run's reliance on it is not registered (${why}): the run that made it may revoke it while this job runs. Put the jobs that share it in one \`concurrency:\` group`,
    };
  }
  if (!reliance) return result;
  return {
    ...result,
    note: result.note ? `${result.note}; ${reliance.note}` : reliance.note,
    ...(reliance.registered
      ? { reliance: { registered: true } }
      : reliance.warning
        ? { reliance: { registered: false, warning: reliance.warning } }
        : {}),
  };
}
