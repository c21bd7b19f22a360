// A call given up when its signal fires, whether or not the call itself listens: the call runner's
// hold on every attempt (./call-runner.ts), kept apart because it knows nothing of retries, pacing
// or counts, only of a promise and a signal.
/**
 * Settles with an AbortError as soon as `signal` fires, whether or not the call honours it: some
 * SDK paths (MSAL's token request among them) do not, and a call must not outlive its deadline.
 */
export function abandonOnAbort<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The call saw the aborted signal too and will likely reject: nothing else awaits it, and an
    // unhandled rejection would end the process.
    pending.catch(() => {});
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  const error = new Error(timedOut ? 'the request timed out' : 'the request was aborted', { cause: reason });
  // The name isNetworkError knows: retried after a timeout (a cancellation never reaches a classifier).
  error.name = 'AbortError';
  return error;
}
