// How a membership of a group is held, as a report's row says it (`group: <name>`, role `member` or
// `owner`, active or eligible, since, by): from the request that made it, and only as far as that
// request's sender may say it. Its `justification` counts only when Graph says an identity of
// `created-by` sent it (`createdBy`): a run's ephemeral marker is a claim, weighed as every kind's;
// a plain assign's run marks a permanent grant of that run; a manifest's marker lists it. A
// membership made by anyone else is `time-bound` when it ends, `foreign` when it does not; one whose
// request Graph no longer returns is unproven, and `foreign` whatever its end. Pure.
import { runOfDefaultDescription } from '../../core/inputs/azure-description.js';
import { groupShown } from '../../core/inputs/azure-group-refs.js';
import type { Claim } from '../../core/claims/claims.js';
import type { AzureGroupIds } from '../../core/types.js';
import { AZURE_GROUP_ACTIVE, AZURE_GROUP_ELIGIBLE } from '../../core/kinds/azure-pim-group.js';
import { azureRunMarkOf } from '../../core/run-marks.js';
import { principalKindOf } from '../../core/shown-names.js';
import { manifestMarkOf } from '../../core/state/manifest-marker.js';
import type { HeldAssignment } from '../../engine/run/access-reader.js';
import type { ObjectName } from '../graph/object-names.js';
import type { GroupHolding } from './holdings.js';
import { groupKindOf } from './desired.js';
import { listedIn, type EntryLines } from '../kind/report.js';
import type { SectionJudge } from '../kind/section.js';

/** Whose requests count, and what a report's manifests list (../kind/section.ts). */
export type GroupJudge = SectionJudge;

/** No manifest's entries read (a sweep's or reconcile's judge): a manifest's marker is shown by its path. */
const NO_LINES: EntryLines = Object.assign(new Map<string, Map<string, number>>(), {
  incomplete: new Set<string>(),
});

/** Who sent a request, by object ID (an application's, else a user's). */
export const senderOf = (h: GroupHolding): string | undefined =>
  (h.request?.createdBy.applicationId ?? h.request?.createdBy.userId)?.toLowerCase();

/** A membership as a row, named by `names` (principals and groups by object ID). */
export function groupHeld(
  h: GroupHolding,
  names: ReadonlyMap<string, ObjectName>,
  judge: GroupJudge,
): HeldAssignment {
  const m = h.membership;
  const principal = names.get(m.principalId);
  const group = names.get(m.groupId)?.name ?? m.groupId;
  const by = senderOf(h);
  const row: HeldAssignment = {
    kind: m.kind === 'active' ? AZURE_GROUP_ACTIVE : AZURE_GROUP_ELIGIBLE,
    principal: {
      id: m.principalId,
      ...(principal ? { name: principal.name } : {}),
      kind: principalKindOf(principal?.type),
    },
    role: { id: m.access, name: m.access },
    target: { id: m.groupId, name: groupShown(group) },
    ...(m.end ? { endsAt: m.end } : {}),
    granted: {
      ...(m.start ? { at: m.start } : {}),
      ...(by ? { by: { id: by, ...(names.get(by) ? { name: names.get(by)!.name } : {}) } } : {}),
    },
  };
  if (h.unproven)
    return {
      ...row,
      verdict: { none: `its claim is not proven: ${h.unproven}` },
      warning: `${h.unproven}: who made it is not known`,
    };
  if (!by || !judge.createdBy.has(by)) return row;
  return { ...row, ...evidenceOf(h, judge, by) };
}

/** What the justification of a request `created-by` sent says: a run's claim, a run's permanent grant, a manifest. */
function evidenceOf(h: GroupHolding, judge: GroupJudge, by: string): Partial<HeldAssignment> {
  const justification = h.request?.justification ?? '';
  const mark = azureRunMarkOf(justification);
  if (mark) {
    const run = { repository: mark.repository, runId: mark.runId, attempt: mark.attempt };
    const claim: Claim<AzureGroupIds> = {
      ids: {
        cloud: 'azure',
        principalId: h.membership.principalId,
        groupId: h.membership.groupId,
        roleId: h.membership.access,
        ...(h.request ? { name: h.request.id } : {}),
      },
      shown: {
        principal: h.membership.principalId,
        role: h.membership.access,
        target: groupShown(h.membership.groupId),
      },
      mark: { run, ephemeral: true, ...(mark.expiresAt !== undefined ? { expiresAt: mark.expiresAt } : {}) },
      madeBy: by,
      madeAt: Date.parse(h.membership.start ?? '') || 0,
      evidence: `justification marker on PIM for groups request ${h.request?.id ?? ''}, createdBy ${by}`,
      standing: { holds: true },
    };
    return { mark: { run, ephemeral: true, expiresAt: mark.expiresAt }, runClaim: claim };
  }
  const run = runOfDefaultDescription(justification);
  if (run)
    return {
      mark: { run, ephemeral: false },
      verdict: { none: 'a permanent grant of a cloud-access run', permanent: true },
    };
  const manifest = manifestMarkOf(justification);
  if (!manifest) return {};
  const m = h.membership;
  const place = groupKindOf(m.kind).key({ principalId: m.principalId, groupId: m.groupId, access: m.access });
  const { lines } = judge;
  return listedIn(
    manifest,
    place,
    {
      repository: judge.repository,
      manifestsGiven: judge.manifestsGiven === true && !!lines,
      lines: lines ?? NO_LINES,
    },
    'justification',
  );
}
