// The names a reconcile's plan shows beside its IDs: principals' user names and group
// display names, permission sets' names, accounts' names. Most are known already: the manifest's
// names resolved, the IDs it wrote confirmed (DescribeUser / DescribeGroup answer the name), the
// by-principal read's listing of every user and group, the managed permission sets' names,
// Organizations' listings for OU targets. Only a principal no read answered (one added by hand,
// read by place) is looked up, in as few Identity Store calls as fit: a Describe for a type's one,
// the store's listing (100 a call) for more, as far as it is the cheaper. Identity Store calls have a quota of their own, apart
// from IAM Identity Center's, and come after the read the benchmarks count. The names only label
// rows: they get the step's labels budget (engine/limits/best-effort.ts), and a name that cannot be read
// in it leaves its ID, said once.
import type { AssignmentKeyParts, NameOf } from '../../core/plan/assignment-diff.js';
import { describeError } from '../../core/errors.js';
import { LabelsTimedOut, withinBudget, type LabelsBudget } from '../../engine/limits/best-effort.js';
import { IDENTITY_STORE_CALLS_PER_WINDOW } from '../sdk/identity-store-calls.js';
import { describeStorePrincipal } from '../directory/principal-types.js';
import type { SsoSession } from '../sso/session.js';
import { storeDirectory } from './store-names.js';

type PrincipalType = 'USER' | 'GROUP';

/** What lets the store answer in time: its endpoint reached, and its quota not spent by others. */
const TIMED_OUT_FIX =
  "check that the runner reaches the Identity Store endpoint (identitystore.<aws-region>.amazonaws.com, or AWS_ENDPOINT_URL_IDENTITYSTORE); the store's 20 requests a second are shared with every other caller of the account";

export interface AwsNameSources {
  session: SsoSession;
  /** Permission set ARN → name, as the manifest and the managed permission sets gave them. */
  permissionSets: Map<string, string>;
  /** An account's name, where Organizations was read for the targets. */
  accountName(accountId: string): string | undefined;
  /** The step's labels budget: the lookups get no more (engine/limits/best-effort.ts). */
  labels: LabelsBudget;
}

export async function nameAwsRows(
  rows: AssignmentKeyParts[],
  sources: AwsNameSources,
): Promise<{ nameOf: NameOf; notes: string[] }> {
  const { session, permissionSets } = sources;
  const budget = sources.labels;
  const notes = await nameAwsPrincipals(session, rows, budget);
  // A permission set the file gave by ARN is named with a describe (cached per step); rare, and never in the read.
  const roleArns = new Set(rows.map((r) => r.roleId).filter((arn) => !nameOfSet(permissionSets, arn)));
  const described = await withinBudget(
    Promise.all(
      [...roleArns].map(
        async (arn) => [arn, await session.permissionSets.name(arn).catch(() => undefined)] as const,
      ),
    ),
    budget.start(),
  ).catch(() => []);
  for (const [arn, name] of described) if (name) permissionSets.set(arn, name);
  return {
    notes,
    nameOf: (r) => ({
      principal: session.principalNames.get(r.principalId) || undefined,
      role: nameOfSet(permissionSets, r.roleId),
      target: sources.accountName(r.targetId) || undefined,
    }),
  };
}

/**
 * The names of the principals of `rows` the step does not know yet into `session.principalNames`
 * (namePrincipals below), within the labels budget; what could not be named, said once.
 */
export async function nameAwsPrincipals(
  session: SsoSession,
  rows: readonly Pick<AssignmentKeyParts, 'principalId' | 'principalType'>[],
  budget: LabelsBudget,
): Promise<string[]> {
  const unnamed = new Map<string, PrincipalType>();
  for (const r of rows)
    if (
      !session.principalNames.has(r.principalId) &&
      (r.principalType === 'USER' || r.principalType === 'GROUP')
    )
      unnamed.set(r.principalId, r.principalType);
  if (unnamed.size === 0) return [];
  return withinBudget(namePrincipals(session, unnamed), budget.start()).then(
    () => [],
    (error: unknown) => [
      `the identity store could not name ${unnamed.size} principal(s) (${describeError(error)}): they are shown by ID${
        error instanceof LabelsTimedOut ? `; to show their names, ${TIMED_OUT_FIX}` : ''
      }`,
    ],
  );
}

/** A permission set's name, when one is known (an ARN the file wrote is no name). */
function nameOfSet(names: Map<string, string>, arn: string): string | undefined {
  const name = names.get(arn);
  return name && name !== arn ? name : undefined;
}

/**
 * From this many principals of a type to name, the first page of that type's listing is read
 * before any Describe: one call names them all in a store of up to a page of that type, where a
 * Describe each would cost one call apiece; in a larger store it costs one call more than a
 * Describe each. For one principal a Describe costs what a page does, and always answers.
 */
export const LIST_PRINCIPALS_FROM = 2;

/**
 * The principals' names into `session.principalNames`, in the fewer calls of the two ways, chosen
 * per type from what the first page shows (the store's size is known no sooner): a Describe for a
 * type's one principal; for more, the first page of the type's listing (100 a call), which names
 * them all when it is the last. Past it, the listing reads on only for more than one window of the
 * store's quota of principals, and only while it costs fewer calls than the Describes it saves;
 * then a Describe for each still unnamed. So naming n principals of a type costs one call when the
 * store holds no more than a page of that type; else at most n + 1 calls up to a window's n, and
 * about 2n past it, however large the store.
 */
async function namePrincipals(session: SsoSession, unnamed: Map<string, PrincipalType>): Promise<void> {
  await session.prepare({ identityStore: true });
  const store = session.identityStore;
  if (!store) return;
  const missing = () => [...unnamed].filter(([id]) => !session.principalNames.has(id));
  const wanted = (type: PrincipalType) => [...unnamed.values()].filter((t) => t === type).length;
  // A type listed to its last page names all it can: one it lacks is no longer in the store.
  const listedWhole = new Set<PrincipalType>();
  await Promise.all(
    (['USER', 'GROUP'] as const)
      .filter((type) => wanted(type) >= LIST_PRINCIPALS_FROM)
      .map(async (type) => {
        const many = wanted(type) > IDENTITY_STORE_CALLS_PER_WINDOW;
        let cutShort = false;
        // A page costs a call: past the first, read on only while fewer were read than a Describe each would take.
        const listed = await storeDirectory(session, type, (pages) => {
          cutShort = pages > 0 && (!many || missing().filter(([, t]) => t === type).length <= pages);
          return !cutShort;
        }).then(
          () => true,
          // A listing refused (a role allowed DescribeUser but not ListUsers) leaves them to the Describes.
          () => false,
        );
        if (listed && !cutShort) listedWhole.add(type);
      }),
  );
  await Promise.all(
    missing()
      .filter(([, type]) => !listedWhole.has(type))
      .map(async ([id, type]) => {
        const name = await describeStorePrincipal(session, store, type, id);
        if (name) session.principalNames.set(id, name);
      }),
  );
}
