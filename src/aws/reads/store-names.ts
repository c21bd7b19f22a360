// The identity store's users and groups by name, for a manifest: a section that names many groups
// resolves them from ListGroups' pages (one call per 100 groups) rather than one GetGroupId each;
// and a name the store does not hold gets "did you mean" from the same listing, read only then.
import { CloudAccessError } from '../../core/errors.js';
import { didYouMean } from '../../core/lists.js';
import { IDENTITY_STORE_PRINCIPAL_ID } from '../../core/patterns.js';
import type { AwsPrincipalRef } from '../../core/types.js';
import type { SsoSession } from '../sso/session.js';
import { paginate, type Paging } from '../sdk/paginate.js';
import { LIST_PAGE } from '../sdk/sso-calls.js';

/** Past this many group names, listing every group (a call per 100) beats a GetGroupId each. */
export const LIST_GROUPS_FROM = 10;

type PrincipalType = 'USER' | 'GROUP';
interface Named {
  name: string;
  id: string;
}

/** A user (ID and user name) or group (ID and display name) as the store lists it. */
export interface StoreEntry {
  id: string | undefined;
  name: string | undefined;
}

/**
 * Every user or group of the identity store, every page (undefined when there is no store); ends
 * after the page where the entries read are `enough`, or before a page `readOn` refuses. Each name
 * read is kept in the session's `principalNames` too, for the plan's rows.
 */
export async function listStore(
  session: SsoSession,
  type: PrincipalType,
  paging: Pick<Paging<StoreEntry>, 'enough' | 'readOn'> = {},
): Promise<StoreEntry[] | undefined> {
  await session.prepare({ identityStore: true });
  const store = session.identityStore;
  if (!store) return undefined;
  const { ListGroupsCommand, ListUsersCommand } = await import('@aws-sdk/client-identitystore');
  const named = (entry: StoreEntry): StoreEntry => {
    if (entry.id && entry.name) session.principalNames.set(entry.id, entry.name);
    return entry;
  };
  const input = (NextToken: string | undefined) => ({
    IdentityStoreId: store,
    MaxResults: LIST_PAGE,
    NextToken,
  });
  return type === 'USER'
    ? paginate(
        'ListUsers',
        (nextToken) => session.sendIdentityStore('ListUsers', new ListUsersCommand(input(nextToken))),
        (page) => page.Users?.map((u) => named({ id: u.UserId, name: u.UserName })),
        paging,
      )
    : paginate(
        'ListGroups',
        (nextToken) => session.sendIdentityStore('ListGroups', new ListGroupsCommand(input(nextToken))),
        (page) => page.Groups?.map((g) => named({ id: g.GroupId, name: g.DisplayName })),
        paging,
      );
}

/**
 * Every user (by user name) or group (by display name) of the store that has both, every page, or
 * the pages read while `readOn(pagesRead)` says so.
 */
export async function storeDirectory(
  session: SsoSession,
  type: PrincipalType,
  readOn?: (pagesRead: number) => boolean,
): Promise<Named[]> {
  const entries = (await listStore(session, type, readOn ? { readOn } : {})) ?? [];
  return entries.flatMap(({ id, name }) => (id && name ? [{ id, name }] : []));
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
      // The session's own lookup may have offered its names already.
      if (
        !(error instanceof CloudAccessError) ||
        ref.kind !== 'name' ||
        error.fix?.startsWith('did you mean')
      )
        throw error;
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
