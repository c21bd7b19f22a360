// A call given up when its signal fires: settled with an AbortError at once, though the call never
// answers, and a call that answers first is answered as it was.
import { describe, expect, it } from '@jest/globals';
import { abandonOnAbort } from '../../../src/engine/calls/abandon-on-abort.js';

describe('a call given up when its signal fires', () => {
  it('fails with an AbortError when the signal fires, though the call ignores it and never answers', async () => {
    const abort = new AbortController();
    const abandoned = abandonOnAbort(new Promise<never>(() => {}), abort.signal);
    setTimeout(() => abort.abort(), 1);
    await expect(abandoned).rejects.toMatchObject({ name: 'AbortError', message: 'the request was aborted' });
  });

  it('says a timeout timed out, and keeps the signal’s reason as its cause', async () => {
    // AbortSignal.timeout()'s reason, made in this realm (jest's sandbox has its own Error).
    const abort = new AbortController();
    const timedOut = Object.assign(new Error('The operation was aborted due to timeout'), {
      name: 'TimeoutError',
    });
    setTimeout(() => abort.abort(timedOut), 1);
    const error = await abandonOnAbort(new Promise<never>(() => {}), abort.signal).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError', message: 'the request timed out' });
    expect((error as Error).cause).toBe(timedOut);
  });

  it('fails at once on a signal already fired, and leaves the call’s own rejection handled', async () => {
    const abort = new AbortController();
    abort.abort();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const call = Promise.reject(new Error('socket hang up'));
      await expect(abandonOnAbort(call, abort.signal)).rejects.toMatchObject({ name: 'AbortError' });
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('answers as the call does when it settles first', async () => {
    const abort = new AbortController();
    await expect(abandonOnAbort(Promise.resolve('answer'), abort.signal)).resolves.toBe('answer');
    const refused = new Error('HTTP 403');
    await expect(abandonOnAbort(Promise.reject(refused), abort.signal)).rejects.toBe(refused);
    abort.abort();
  });
});
