// Every user name or group display name of the identity store, for "did you mean" when a name in a
// manifest is not found: read only on that path, once per principal type.
import { didYouMean } from '../core/lists.js';
import type { SsoSession } from './sso.js';

const PAGE = 100;

export async function storeNames(session: SsoSession, type: 'USER' | 'GROUP'): Promise<string[]> {
  await session.prepare({ identityStore: true });
  const store = session.identityStore;
  if (!store) return [];
  const { ListGroupsCommand, ListUsersCommand } = await import('@aws-sdk/client-identitystore');
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const input = { IdentityStoreId: store, MaxResults: PAGE, NextToken: nextToken };
    if (type === 'USER') {
      const page = await session.sendIdentityStore('ListUsers', new ListUsersCommand(input));
      names.push(...(page.Users ?? []).flatMap((u) => (u.UserName ? [u.UserName] : [])));
      nextToken = page.NextToken;
    } else {
      const page = await session.sendIdentityStore('ListGroups', new ListGroupsCommand(input));
      names.push(...(page.Groups ?? []).flatMap((g) => (g.DisplayName ? [g.DisplayName] : [])));
      nextToken = page.NextToken;
    }
  } while (nextToken);
  return names;
}

/**
 * The names, read once per type; an empty list when they cannot be read (suggestions are a help:
 * without the permission to list, the error says what it would have).
 */
export class StoreNames {
  private readonly lists: Partial<Record<'USER' | 'GROUP', Promise<string[]>>> = {};

  constructor(private readonly session: SsoSession) {}

  async suggest(type: 'USER' | 'GROUP', name: string): Promise<string | undefined> {
    const names = (this.lists[type] ??= storeNames(this.session, type).catch(() => []));
    return didYouMean(name, await names);
  }
}
