// One page of a list, as ARM's role assignments and definitions and PIM's lists answer it.
import type { AzureContext } from '../tenant/context.js';

/** One page of `items` from `$skipToken`, with a `nextLink` when more remain. */
export function page(ctx: AzureContext, items: unknown[], url: URL) {
  const offset = Number.parseInt(url.searchParams.get('$skipToken') ?? '0', 10) || 0;
  const size = Math.max(1, ctx.config.pageSize);
  const value = items.slice(offset, offset + size);
  if (offset + size >= items.length) return { value };
  // Not `new URL(path, base)`: a path from a `//subscriptions/…` request would be read as a host.
  const next = new URL(`${ctx.resourceManagerEndpoint}${url.pathname.replace(/^\/+/, '/')}${url.search}`);
  next.searchParams.set('$skipToken', String(offset + size));
  return { value, nextLink: next.toString() };
}
