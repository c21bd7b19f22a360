// The AzureEmulator's methods for PIM for groups (Graph), beside tenant-api.ts: a group brought
// under PIM as a portal admin does it, a group's policy set, a person's activation of their eligible
// membership staged, and what Graph shows now.
import { randomUUID } from 'node:crypto';
import type { AzureEmulator, GroupMembershipActivation } from './emulator-api.js';
import { renderInstances, renderRequest, renderSchedule, settleGroupPim } from './graph/pim-groups-render.js';
import { parseIsoDuration } from './pim/iso-duration.js';
import type { AzureContext } from './tenant/context.js';

type Ctx = Pick<AzureContext, 'state'>;

export function groupPimMethods(
  ctx: Ctx,
): Pick<
  AzureEmulator,
  'onboardGroupToPim' | 'setGroupPimPolicy' | 'groupPim' | 'ageGroupPimRequests' | 'activateGroupMembership'
> {
  return {
    activateGroupMembership: (activation) => activate(ctx, activation),
    onboardGroupToPim(groupId) {
      ctx.state.groupPim.onboarded.add(groupId.toLowerCase());
    },
    setGroupPimPolicy(settings, at = {}) {
      const group = at.groupId?.toLowerCase() ?? '*';
      if (group !== '*') ctx.state.groupPim.onboarded.add(group);
      const key = `${group}:${at.accessId ?? '*'}`;
      ctx.state.groupPim.policies.set(key, { ...ctx.state.groupPim.policies.get(key), ...settings });
    },
    ageGroupPimRequests(ms) {
      for (const r of ctx.state.groupPim.requests) {
        r.createdAt -= ms;
        r.settleAt -= ms;
        r.instanceAt -= ms;
      }
      // What they made is as much older: an instance due after its request's provisioning too.
      for (const s of ctx.state.groupPim.schedules) s.instanceAt -= ms;
    },
    groupPim() {
      settleGroupPim(ctx.state);
      const store = ctx.state.groupPim;
      const now = Date.now();
      return {
        onboarded: [...store.onboarded],
        requests: store.requests.map((r) => ({ kind: r.kind, ...renderRequest(r) })),
        schedules: store.current(now).map((s) => ({ kind: s.kind, ...renderSchedule(s) })),
        instances: store
          .withInstances(now)
          .flatMap((s) => renderInstances(ctx.state, [s]).map((i) => ({ kind: s.kind, ...i }))),
      };
    },
  };
}

/**
 * A person's `selfActivate` of their eligible membership, staged as Graph keeps it: the person's
 * own Graph call is not emulated (the emulator's tokens are the workflow's), nor the active
 * membership it makes (a staged activation is one that has ended, as ./activation-api.ts stages
 * ARM's). The person must hold the eligibility now: their own, or a group's they are in.
 */
function activate(ctx: Ctx, a: GroupMembershipActivation): Record<string, unknown> {
  const groupId = a.groupId.toLowerCase();
  const principalId = a.principalId.toLowerCase();
  const accessId = a.accessId ?? 'member';
  const d = ctx.state.directory;
  const eligible = ctx.state.groupPim
    .current(Date.now())
    .some(
      (s) =>
        s.kind === 'eligibility' &&
        s.groupId === groupId &&
        s.accessId === accessId &&
        (s.principalId === principalId || d.transitiveMembers(s.principalId).includes(principalId)),
    );
  if (!eligible)
    throw new Error(
      `emulator: ${a.principalId} holds no eligible ${accessId} membership of group ${a.groupId}`,
    );
  const duration = a.duration ?? 'PT8H';
  const durationMs = parseIsoDuration(duration);
  if (durationMs === undefined)
    throw new Error(`emulator: ${JSON.stringify(duration)} is no ISO 8601 duration`);
  const at = a.at ?? Date.now();
  const status = a.status ?? 'Provisioned';
  const id = randomUUID();
  const record = {
    id,
    kind: 'assignment' as const,
    action: 'selfActivate' as const,
    accessId,
    principalId,
    groupId,
    status,
    outcome: status,
    settleAt: at,
    instanceAt: at,
    createdAt: at,
    // Ended: settleGroupPim leaves it as it is.
    completedAt: at,
    startDateTime: new Date(at).toISOString(),
    expiration: { type: 'afterDuration' as const, endDateTime: null, duration },
    durationMs,
    justification: a.justification ?? null,
    ticketNumber: null,
    ticketSystem: null,
    // A person activates their own membership: the request is the user's.
    createdBy: { application: null, user: { displayName: null, id: principalId } },
    targetScheduleId: `${groupId}_${accessId}_${id}`,
  };
  ctx.state.groupPim.requests.push(record);
  return renderRequest(record);
}
