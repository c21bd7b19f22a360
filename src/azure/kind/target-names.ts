// The names a report shows its targets by: a subscription's display name (one Subscriptions_Get
// per subscription), a resource group's or resource's name as its scope says it. Every kind's rows
// are shown with them.
import type { AzureScope } from '../../core/azure-scope.js';
import type { ArmSession } from '../arm/session.js';
import { ArmError } from '../sdk/arm-errors.js';

/** Subscription ID (lower case) → its display name. */
export type SubscriptionNames = ReadonlyMap<string, string>;

/**
 * Each subscription target's display name: one Subscriptions_Get per distinct subscription. One
 * ARM refuses (403: the identity lacks `Microsoft.Resources/subscriptions/read`; 404) keeps its ID,
 * and one note names them; what never reached ARM (the deadline, the network) fails the read.
 */
export async function subscriptionNames(
  session: ArmSession,
  targets: readonly AzureScope[],
  notes: string[],
): Promise<SubscriptionNames> {
  const ids = new Set(
    targets.flatMap((t) =>
      t.kind === 'subscription' && t.subscriptionId ? [t.subscriptionId.toLowerCase()] : [],
    ),
  );
  const names = new Map<string, string>();
  const unread: { id: string; said: string }[] = [];
  await Promise.all(
    [...ids].map(async (id) => {
      try {
        const { displayName } = await session.subscription(id);
        if (typeof displayName === 'string' && displayName.trim() !== '') names.set(id, displayName);
      } catch (error) {
        if (!(error instanceof ArmError) || error.statusCode === undefined) throw error;
        unread.push({ id, said: `${error.statusCode}${error.code ? ` ${error.code}` : ''}` });
      }
    }),
  );
  if (unread.length > 0)
    notes.push(
      `ARM did not give the display name of ${unread.length} subscription(s) (${unread
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((u) => `${u.id}: ${u.said}`)
        .join(
          ', ',
        )}): shown by ID; the report's identity needs \`Microsoft.Resources/subscriptions/read\` on each (Reader has it)`,
    );
  return names;
}

/**
 * A target's name: a resource group's or resource's name as its scope says it, a management
 * group's ID, the tenant root's, a subscription's display name where ARM gave it (else none: its ID shows).
 */
export function targetNameOf(scope: AzureScope, subscriptions: SubscriptionNames): string | undefined {
  const parts = scope.scope.split('/').filter(Boolean);
  if (scope.kind === 'resourceGroup') return `resource group ${parts[3] ?? ''}`;
  if (scope.kind === 'resource') return parts.slice(-2).join('/');
  if (scope.kind === 'managementGroup') return `management group ${parts.at(-1) ?? ''}`;
  if (scope.kind === 'root') return 'the tenant root';
  const name = scope.subscriptionId ? subscriptions.get(scope.subscriptionId.toLowerCase()) : undefined;
  return name === undefined ? undefined : `subscription ${name}`;
}
