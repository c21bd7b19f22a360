// The bookkeeping of one create and its retries, which both Azure drivers judge an answer or a
// failure by: an attempt ARM did not refuse (4xx) may have been applied with its answer lost.
import { markPossiblyApplied } from '../../engine/calls/call-failures.js';
import { responseInfo, type ResponseInfo } from './clients.js';

export class CreateAttempts {
  /** When the first attempt was sent (epoch ms). */
  readonly started = Date.now();
  /** The last answer heard: its status, and the request ID support asks for. */
  lastAnswer: ResponseInfo | undefined;
  private sent = 0;
  private refused = 0;

  /** Counts an attempt as it is sent: the SDK options it goes with, which hear its answer. */
  options(signal: AbortSignal) {
    this.sent++;
    return {
      abortSignal: signal,
      onResponse: (raw: Parameters<typeof responseInfo>[0]) => {
        this.lastAnswer = responseInfo(raw);
        if (raw.status >= 400 && raw.status < 500) this.refused++;
      },
    };
  }

  /** After a failure: more attempts than refusals, so one may have been applied with its answer lost. */
  get mayHaveApplied(): boolean {
    return this.sent > this.refused;
  }

  /** After an answer: an attempt before the answered one was not refused, and may have been applied. */
  get earlierMayHaveApplied(): boolean {
    return this.sent - 1 > this.refused;
  }

  /** A failed create whose attempts may have been applied is marked so (engine/calls/call-failures.ts). */
  markFailure(error: unknown): void {
    if (this.mayHaveApplied) markPossiblyApplied(error);
  }
}

/**
 * A PIM request created under one name for every attempt: when it fails after an attempt that may
 * have been applied with its answer lost (a later one is then refused, as a name reused or an
 * assignment that exists), the request under that name, if `earlierOwn` finds it is this grant's,
 * is the answer; otherwise the failure is the create's, marked as possibly applied.
 */
export async function createUnderOneName<R>(
  send: (attempts: CreateAttempts) => Promise<R>,
  earlierOwn: () => Promise<R | undefined>,
): Promise<{ answer: R; attempts: CreateAttempts }> {
  const attempts = new CreateAttempts();
  try {
    return { answer: await send(attempts), attempts };
  } catch (error) {
    if (attempts.mayHaveApplied) {
      const earlier = await earlierOwn().catch(() => undefined);
      if (earlier) return { answer: earlier, attempts };
      attempts.markFailure(error);
    }
    throw error;
  }
}
