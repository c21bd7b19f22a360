// A create's ownership, as the service shows it, reported to the step as it becomes known: the
// main step saves it for its post step (operations/assign/created-grants.ts), which revokes only what is proven
// the step's (./ownership.ts).
import { mayHaveBeenApplied } from '../calls/call-failures.js';
import type { GrantDriver, WriteOutcome } from '../calls/driver.js';
import type { CreateProof, Ownership } from '../calls/ownership-proofs.js';
import type { Grant, IdsOf } from '../../core/types.js';

/**
 * Called as a create's ownership becomes known: `unknown` just before it is sent (a step killed
 * mid-request leaves the post step something to resolve), then `accepted`, `created`,
 * `contested` or `not-created` as the service answers.
 */
export type OnOwnership<G extends Grant = Grant> = (
  grant: G,
  ids: IdsOf<G>,
  ownership: Ownership,
  requestId?: string,
  /** When the create's answer arrived (epoch ms), for a proof made later (the post step's). */
  answeredAt?: number,
) => void;

/**
 * The create, reporting its ownership as the service shows it: `unknown` while it is in flight,
 * then `accepted` / `created` when the service says so, `not-created` when it refused, answered
 * that the assignment was there already, or the request was never sent. A create whose answer
 * never came (a dead connection, the deadline) stays `unknown` for the post step to resolve.
 */
export async function createTracked<G extends Grant>(
  grant: G,
  ids: IdsOf<G>,
  driver: GrantDriver<G>,
  onOwnership: OnOwnership<G> | undefined,
): Promise<WriteOutcome> {
  onOwnership?.(grant, ids, 'unknown');
  try {
    const outcome = await driver.create(ids);
    if (outcome.kind === 'pending') {
      const { request } = outcome;
      onOwnership?.(
        grant,
        ids,
        request.createdOnAcceptance ? 'created' : 'accepted',
        request.requestId,
        Date.now(),
      );
    } else if (outcome.kind === 'done' && outcome.changed) {
      // Answered SUCCEEDED at once: proven as a followed request is. Without a request ID there is
      // nothing to prove it by, where proof is needed.
      const unproven = outcome.requestId
        ? await settleOwnership(grant, ids, outcome.requestId, driver, onOwnership)
        : driver.proveCreated
          ? (onOwnership?.(grant, ids, 'contested'),
            'revoke-on-exit leaves it in place: the service answered without a request ID to prove it by')
          : (onOwnership?.(grant, ids, 'created'), undefined);
      if (unproven) return { ...outcome, note: outcome.note ? `${outcome.note}; ${unproven}` : unproven };
    } else {
      onOwnership?.(grant, ids, 'not-created');
    }
    return outcome;
  } catch (error) {
    onOwnership?.(grant, ids, mayHaveBeenApplied(error) ? 'unknown' : 'not-created');
    throw error;
  }
}

/**
 * A create request of this step's ended SUCCEEDED: it is the step's (`created`) once the driver
 * shows the request is what made the assignment, and `contested` when another party's create for
 * it ran too (the post step leaves it in place, and says so if it is still there). Only asked when
 * ownership is being saved (revoke-on-exit). Returns the note for the log when it is not proven;
 * when the proof cannot be read, the grant stays `accepted`, for the post step to prove.
 */
export async function settleOwnership<G extends Grant>(
  grant: G,
  ids: IdsOf<G>,
  requestId: string,
  driver: GrantDriver<G>,
  onOwnership: OnOwnership<G> | undefined,
): Promise<string | undefined> {
  if (!onOwnership) return undefined;
  let proof: CreateProof;
  try {
    proof = (await driver.proveCreated?.(ids, requestId)) ?? { created: true };
  } catch {
    return undefined;
  }
  if (proof.created) {
    onOwnership(grant, ids, 'created', requestId);
    return undefined;
  }
  onOwnership(grant, ids, 'contested', requestId);
  return `revoke-on-exit leaves it in place: ${proof.why}`;
}
