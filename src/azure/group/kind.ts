// PIM for groups as a kind with a section of its own (../kind/section.ts): a reconcile's
// `azure.groups` (./reconcile.ts), a sweep's and a report's `group:` targets (./sweep.ts,
// ./report.ts), registered with one call on the list the Azure operations loop over
// (AZURE_SECTIONS). Its kinds of access and its `azure.groups` key are the core's own
// (core/kinds/azure-pim-group.ts, core/manifest/azure-groups.ts): a step's `target: group:…` makes them too.
import { registerAzureSection, type AzureSection } from '../kind/section.js';
import { planGroupMemberships } from './reconcile.js';
import { groupEntryLines, reportGroups } from './report.js';
import { endGroupMemberships, planGroupSweep, type GroupSweepPlan } from './sweep.js';
import { groupMembershipUsage } from './usage.js';

export const groupMemberships: AzureSection = registerAzureSection({
  plan: ({ settings, ...context }) =>
    planGroupMemberships({
      ...context,
      // `pim-onboard`: without it, a group PIM does not manage is refused.
      pimOnboard: settings.groups?.pimOnboard === true,
      // The run's page, in each request's `ticketInfo`, as an assign's requests name theirs.
      runUrl: settings.groups?.runUrl,
    }),

  sweep: ({ directory, request, judge, readRuns }) => {
    const groups = request.groups ?? [];
    // Read and weighed once, for the count and then the ends.
    let plan: Promise<GroupSweepPlan> | undefined;
    const planned = (now: number) =>
      (plan ??= planGroupSweep(directory, groups, { judge: judge(), readRuns, now }));
    return {
      deletions: async (now) => (groups.length === 0 ? 0 : (await planned(now)).ending.length),
      upkeep: async (now, options) =>
        groups.length === 0
          ? { lines: [], results: [] }
          : endGroupMemberships(directory, await planned(now), options),
    };
  },

  entryLines: async (directory, request, manifests, lines, warnings) => {
    if (request.groups?.length) await groupEntryLines(directory, manifests, lines, warnings);
  },

  read: async (directory, request, judge) =>
    request.groups?.length ? reportGroups(directory, request.groups, judge) : undefined,

  // An eligible membership's last use: its principal's newest selfActivate of it (./usage.ts).
  usage: groupMembershipUsage,
});
