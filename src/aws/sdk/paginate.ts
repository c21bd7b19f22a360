// Every AWS list this adapter reads pages with NextToken (SSO Admin, Identity Store, Organizations,
// CloudTrail): one loop reads them all, with one guard against a server that hands back a token it
// gave before, which would otherwise page the same pages until the step's deadline.
import { CloudAccessError } from '../../core/errors.js';

export interface Paging<T> {
  /** A first page already read: its items and its NextToken (none: the listing is whole). */
  start?: { items: T[]; nextToken: string | undefined };
  /** Ends the listing after a page once the items read so far are enough for the caller. */
  enough?: (items: T[]) => boolean;
  /** Reads a next page only while this says so, asked with the pages read so far (0 before the first). */
  readOn?: (pagesRead: number) => boolean;
  /** What a NextToken answered twice fails with (by default, an error naming `operation`). */
  repeated?: () => Error;
}

/**
 * Every item of a paged list: pages are read one after another, each `pick`ed, until one has no
 * NextToken. Only a missing NextToken ends the list: Organizations "can occasionally return an
 * empty set of results even when there are more results available" (API reference).
 */
export async function paginate<O extends { NextToken?: string | undefined }, T>(
  operation: string,
  read: (nextToken: string | undefined) => Promise<O>,
  pick: (page: O) => T[] | undefined,
  paging: Paging<T> = {},
): Promise<T[]> {
  const all = [...(paging.start?.items ?? [])];
  let nextToken = paging.start?.nextToken;
  if (paging.start && !nextToken) return all;
  const tokens = new Set<string>();
  let pagesRead = 0;
  do {
    if (paging.readOn && !paging.readOn(pagesRead++)) return all;
    const page = await read(nextToken);
    all.push(...(pick(page) ?? []));
    if (paging.enough?.(all)) return all;
    nextToken = page.NextToken;
    if (nextToken && tokens.has(nextToken)) throw (paging.repeated ?? repeatedToken(operation))();
    if (nextToken) tokens.add(nextToken);
  } while (nextToken);
  return all;
}

const repeatedToken = (operation: string) => () =>
  new CloudAccessError(
    `${operation} answered the same NextToken twice: the listing would never end, so the step stops before acting on part of it`,
    { fix: 're-run later; if it persists, report it to AWS Support' },
  );
