// A step that signs in with a GitHub OIDC token asks for its first token before the cloud's SDK is
// loaded: the adapter's first request is handed that token, every later one is a request of its own.
import { describe, expect, it } from '@jest/globals';
import { tokenAskedAhead } from '../../src/steps/sign-in.js';

function countingSource(answer: (n: number) => Promise<string> = (n) => Promise.resolve(`token-${n}`)) {
  const asked: string[] = [];
  const source = (audience: string) => {
    asked.push(audience);
    return answer(asked.length);
  };
  return { asked, source };
}

describe('the first token, asked for ahead', () => {
  it('is requested at once, and handed to the first request for that audience only', async () => {
    const { asked, source } = countingSource();
    const { requestToken } = tokenAskedAhead(source, 'sts.amazonaws.com');
    expect(asked).toEqual(['sts.amazonaws.com']);

    await expect(requestToken('sts.amazonaws.com')).resolves.toBe('token-1');
    expect(asked).toEqual(['sts.amazonaws.com']);
    await expect(requestToken('sts.amazonaws.com')).resolves.toBe('token-2');
    expect(asked).toEqual(['sts.amazonaws.com', 'sts.amazonaws.com']);
  });

  it('is not handed to a request for another audience', async () => {
    const { asked, source } = countingSource();
    const { requestToken } = tokenAskedAhead(source, 'api://AzureADTokenExchange');
    await expect(requestToken('other')).resolves.toBe('token-2');
    await expect(requestToken('api://AzureADTokenExchange')).resolves.toBe('token-1');
    expect(asked).toEqual(['api://AzureADTokenExchange', 'other']);
  });

  it('fails the first request when it failed, and the next request asks again', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { source } = countingSource((n) =>
        n === 1 ? Promise.reject(new Error('no id-token permission')) : Promise.resolve(`token-${n}`),
      );
      const { requestToken } = tokenAskedAhead(source, 'sts.amazonaws.com');
      // Nobody asks for a while: the failure waits for the adapter, unreported.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      await expect(requestToken('sts.amazonaws.com')).rejects.toThrow('no id-token permission');
      await expect(requestToken('sts.amazonaws.com')).resolves.toBe('token-2');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
