// The identity store's users and groups by name, for a manifest: a section that names many groups
// resolves them from ListGroups' pages (one call per 100 groups) rather than one GetGroupId each;
// and a name the store does not hold gets "did you mean" from the same listing, read only then.
import { CloudAccessError } from '../core/errors.js';
import { didYouMean } from '../core/lists.js';
import { IDENTITY_STORE_PRINCIPAL_ID } from '../core/patterns.js';
import type { AwsPrincipalRef } from '../core/types.js';
import type { SsoSession } from './sso.js';
import { LIST_PAGE } from './sso-calls.js';

/** Past this many group names, listing every group (a call per 100) beats a GetGroupId each. */
export const LIST_GROUPS_FROM = 10;

type PrincipalType = 'USER' | 'GROUP';
interface Named {
  name: string;
  id: string;
}

/**
 * Every user (by user name) or group (by display name) of the store, every page, or the pages read
 * while `more(pagesRead)` says so. Each name is kept in the session's `principalNames` too.
 */
export async function storeDirectory(
  session: SsoSession,
  type: PrincipalType,
  more: (pagesRead: number) => boolean = () => true,
): Promise<Named[]> {
  await session.prepare({ identityStore: true });
  const store = session.identityStore;
  if (!store) return [];
  const { ListGroupsCommand, ListUsersCommand } = await import('@aws-sdk/client-identitystore');
  const found: Named[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (!more(pages++)) break;
    const input = { IdentityStoreId: store, MaxResults: LIST_PAGE, NextToken: nextToken };
    if (type === 'USER') {
      const page = await session.sendIdentityStore('ListUsers', new ListUsersCommand(input));
      for (const u of page.Users ?? [])
        if (u.UserName && u.UserId) {
          found.push({ name: u.UserName, id: u.UserId });
          session.principalNames.set(u.UserId, u.UserName);
        }
      nextToken = page.NextToken;
    } else {
      const page = await session.sendIdentityStore('ListGroups', new ListGroupsCommand(input));
      for (const g of page.Groups ?? [])
        if (g.DisplayName && g.GroupId) {
          found.push({ name: g.DisplayName, id: g.GroupId });
          session.principalNames.set(g.GroupId, g.DisplayName);
        }
      nextToken = page.NextToken;
    }
  } while (nextToken);
  return found;
}

export class StoreNames {
  private readonly lists: Partial<Record<PrincipalType, Promise<Named[]>>> = {};

  constructor(
    private readonly session: SsoSession,
    /** How many group names the section holds: past LIST_GROUPS_FROM they are resolved from the listing. */
    private readonly groupNames: number,
  ) {}

  /** A principal's ID; a name the store does not hold fails with the closest names it does. */
  async principalId(ref: AwsPrincipalRef, type: PrincipalType): Promise<string> {
    try {
      if (ref.kind === 'name' && type === 'GROUP' && this.groupNames > LIST_GROUPS_FROM)
        return await this.fromListing(ref.name);
      return await this.session.principalId(ref, type);
    } catch (error) {
      if (!(error instanceof CloudAccessError) || ref.kind !== 'name') throw error;
      const suggestion = didYouMean(
        ref.name,
        (await this.listing(type).catch(() => [])).map((n) => n.name),
      );
      if (!suggestion) throw error;
      throw new CloudAccessError(error.message, { fix: `${suggestion} Or ${error.fix ?? 'check the name'}` });
    }
  }

  private listing(type: PrincipalType): Promise<Named[]> {
    return (this.lists[type] ??= storeDirectory(this.session, type));
  }

  /** A group by display name, exactly as GetGroupId matches it; exactly one, with an ID of the store's shape. */
  private async fromListing(name: string): Promise<string> {
    const matching = (await this.listing('GROUP')).filter((g) => g.name === name);
    const store = this.session.identityStore ?? 'the identity store';
    if (matching.length === 0)
      throw new CloudAccessError(`group display name \`${name}\` was not found in identity store ${store}`, {
        input: 'principal',
        fix: 'check the display name, pass the group ID, or set `principal-type: USER` if it is a user',
      });
    const [only] = matching;
    if (matching.length > 1 || !IDENTITY_STORE_PRINCIPAL_ID.test(only!.id))
      throw new CloudAccessError(
        `the identity store answered \`${name}\` with ${matching.length > 1 ? `${matching.length} groups` : 'an ID that is not an Identity Store ID'}`,
        { fix: 'pass the group ID' },
      );
    return only!.id;
  }
}
