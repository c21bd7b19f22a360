// The AzureEmulator's methods for PIM for groups (Graph), beside tenant-api.ts: a group brought
// under PIM as a portal admin does it, a group's policy set, and what Graph shows now.
import type { AzureEmulator } from './emulator-api.js';
import { renderInstances, renderRequest, renderSchedule, settleGroupPim } from './graph/pim-groups-render.js';
import type { AzureContext } from './tenant/context.js';

type Ctx = Pick<AzureContext, 'state'>;

export function groupPimMethods(
  ctx: Ctx,
): Pick<AzureEmulator, 'onboardGroupToPim' | 'setGroupPimPolicy' | 'groupPim' | 'ageGroupPimRequests'> {
  return {
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
