// Who signed in with the rows' grants (`report` with `last-used: true`, ./report.ts): the members
// of each group row, whose sign-ins are the group's uses, and the sign-ins themselves, from Athena
// (./usage/athena-sign-ins.ts), from the event history over the window (./usage/sign-ins.ts), or, with a
// `snapshot`, into its usage ledger from each Region's watermark (./usage/ledger-sign-ins.ts), which is
// then kept with the snapshot; read over the window, each set's name from when it was made
// (./usage/set-lives.ts). A list that could not be read is a gap in the evidence, said.
import { describeError } from '../core/errors.js';
import type { UsageRequest } from '../core/inputs/usage-inputs.js';
import { ledgerJson } from '../core/usage/ledger-format.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import { LabelsBudget } from '../engine/limits/best-effort.js';
import type { HeldAssignment, UsageRead } from '../engine/run/access-reader.js';
import { groupMembers } from './directory/group-members.js';
import { nameAwsPrincipals } from './reads/names.js';
import type { UsageLedgerRun } from './snapshot/report-snapshot.js';
import type { SsoSession } from './sso/session.js';
import { readSignInsFromAthena } from './usage/athena-sign-ins.js';
import { readSignInsWithLedger } from './usage/ledger-sign-ins.js';
import { readSignIns } from './usage/sign-ins.js';
import { setNamesSinceMade } from './usage/set-lives.js';

interface UsageAsked {
  held: readonly HeldAssignment[];
  request: UsageRequest;
  say: (line: string) => void;
}

/** What the report's read left for the usage read: the snapshot's ledger, and the sets it listed. */
interface LedgerAt {
  ledger: UsageLedgerRun | undefined;
  /** Every permission set of the instance, when the read listed them all (no `role`). */
  listedSets: string[] | undefined;
}

/** The sign-ins and the members of the group rows, and what the evidence covers. */
export async function readAwsUsage(
  session: SsoSession,
  deps: AdapterDeps,
  stepRegion: string,
  { held, request, say }: UsageAsked,
  at: LedgerAt,
): Promise<UsageRead> {
  const groups = [...new Set(held.filter((h) => h.principal.kind === 'group').map((h) => h.principal.id))];
  const members = new Map<string, { id: string; name?: string; kind: 'user' }[]>();
  const notes: string[] = [];
  const gaps: string[] = [];
  if (groups.length > 0) {
    try {
      const lists = await groupMembers(session, session.identityStore!, groups);
      // The members by name where the store names them within the labels budget (else by ID).
      const users = [...new Set([...lists.values()].flat())];
      notes.push(
        ...(await nameAwsPrincipals(
          session,
          users.map((principalId) => ({ principalId, principalType: 'USER' as const })),
          new LabelsBudget(deps.deadline),
        )),
      );
      for (const [group, users] of lists)
        members.set(
          group.toLowerCase(),
          users.map((id) => {
            const name = session.principalNames.get(id);
            return { id, kind: 'user' as const, ...(name ? { name } : {}) };
          }),
        );
    } catch (error) {
      gaps.push(`the groups' members were not read: ${describeError(error)}`);
    }
  }
  const read = await signIns(session, deps, stepRegion, { held, request, say }, members, at);
  return { ...read, notes: [...read.notes, ...notes], gaps: [...read.gaps, ...gaps], members };
}

/** The sign-ins: from Athena, from the event history, or into the snapshot's usage ledger (then kept). */
async function signIns(
  session: SsoSession,
  deps: AdapterDeps,
  stepRegion: string,
  { held, request, say }: UsageAsked,
  members: ReadonlyMap<string, readonly { id: string; name?: string }[]>,
  at: LedgerAt,
): Promise<Omit<UsageRead, 'members'>> {
  const { ledger } = at;
  if (request.source.kind === 'athena' || !ledger) {
    const read =
      request.source.kind === 'athena'
        ? await readSignInsFromAthena(session, deps, request.source, request, say)
        : await readSignIns(session, deps, request, stepRegion, say);
    return { ...read, setNames: await setNamesSinceMade(session, held, read.notes) };
  }
  const users = [
    ...held.filter((h) => h.principal.kind === 'user').map((h) => h.principal),
    ...[...members.values()].flat(),
  ].flatMap((u) => (u.name ? [{ id: u.id, name: u.name }] : []));
  // The sets' names as the rows show them, and any other the session described.
  const sets = [
    ...held.flatMap((h) => (h.role.name ? [{ id: h.role.id, name: h.role.name }] : [])),
    ...Object.entries(session.permissionSetNames.known()).map(([id, name]) => ({ id, name })),
  ];
  const { read, ledger: next } = await readSignInsWithLedger(session, deps, request, stepRegion, say, {
    previous: ledger.usage,
    where: ledger.where,
    names: { sets, listed: at.listedSets, users },
  });
  read.notes.push(await ledger.keep(ledgerJson(next)));
  return read;
}
