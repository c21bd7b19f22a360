// The one loop every NextToken-paged AWS list is read with: every page, from a first page already
// read, ending early when the caller has enough, and never paging forever on a token seen before.
import { describe, expect, it } from '@jest/globals';
import { paginate } from '../../../src/aws/sdk/paginate.js';

type Page = { Items?: number[]; NextToken?: string };

/** A server answering `pages` in order, keyed by the token that asks for each (undefined: the first). */
function server(pages: Record<string, Page>) {
  const asked: (string | undefined)[] = [];
  const read = (token: string | undefined) => {
    asked.push(token);
    return Promise.resolve(pages[token ?? 'first']!);
  };
  return { read, asked };
}

describe('a paged AWS list', () => {
  it('reads every page until one has no NextToken, an empty page included', async () => {
    const { read, asked } = server({
      first: { Items: [1, 2], NextToken: 'a' },
      a: { NextToken: 'b' },
      b: { Items: [3] },
    });
    expect(await paginate('ListThings', read, (p) => p.Items)).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, 'a', 'b']);
  });

  it('goes on from a first page already read, and reads nothing more when it was the whole list', async () => {
    const { read, asked } = server({ a: { Items: [3], NextToken: 'b' }, b: { Items: [4] } });
    expect(
      await paginate('ListThings', read, (p) => p.Items, { start: { items: [1, 2], nextToken: 'a' } }),
    ).toEqual([1, 2, 3, 4]);
    expect(asked).toEqual(['a', 'b']);
    expect(
      await paginate('ListThings', read, (p) => p.Items, { start: { items: [9], nextToken: undefined } }),
    ).toEqual([9]);
    expect(asked).toHaveLength(2);
  });

  it('stops after the page where the caller has enough', async () => {
    const { read, asked } = server({
      first: { Items: [1, 2], NextToken: 'a' },
      a: { Items: [3], NextToken: 'b' },
    });
    expect(
      await paginate('ListThings', read, (p) => p.Items, { enough: (items) => items.length >= 2 }),
    ).toEqual([1, 2]);
    expect(asked).toEqual([undefined]);
  });

  it('fails, naming the operation, when the server hands back a NextToken it gave before', async () => {
    const { read, asked } = server({
      first: { Items: [1], NextToken: 'a' },
      a: { Items: [2], NextToken: 'a' },
    });
    await expect(paginate('ListUsers', read, (p) => p.Items)).rejects.toThrow(
      'ListUsers answered the same NextToken twice: the listing would never end',
    );
    expect(asked).toEqual([undefined, 'a']);
    const repeated = () => new Error('the caller’s own words');
    await expect(paginate('ListRoots', read, (p) => p.Items, { repeated })).rejects.toThrow(
      'the caller’s own words',
    );
  });
});
