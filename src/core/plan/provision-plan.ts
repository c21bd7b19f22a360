// `operation: provision`, the pure part: which accounts to re-provision and with which requests,
// and what the requests' outcomes add up to for one permission set.
import { ALL_PROVISIONED_ACCOUNTS } from '../inputs/org-targets.js';
import type { ProvisionDetail } from '../grant-result.js';

/** "ALL_PROVISIONED_ACCOUNTS … reaches at most 3,500 accounts" (User Guide, quotas). */
const ALL_ACCOUNTS_LIMIT = 3500;

export interface ProvisionPlanChoice {
  mode: 'per-account' | 'all-provisioned-accounts' | 'none';
  accounts: string[];
}

/**
 * The cheaper request plan. One ALL_PROVISIONED_ACCOUNTS request re-provisions every account the
 * permission set is provisioned to, current ones included; per-account requests touch only the
 * outdated ones but cost a call (and a slot of the 3 concurrent) each. One request wins when more
 * than half of the provisioned accounts are outdated and the user asked for all of them.
 */
export function chooseProvisionPlan(
  outdated: string[],
  provisionedCount: number,
  allAccountsAsked: boolean,
): ProvisionPlanChoice {
  if (outdated.length === 0) return { mode: 'none', accounts: [] };
  if (
    allAccountsAsked &&
    outdated.length > 1 &&
    outdated.length * 2 > provisionedCount &&
    provisionedCount <= ALL_ACCOUNTS_LIMIT
  ) {
    return { mode: 'all-provisioned-accounts', accounts: outdated };
  }
  return { mode: 'per-account', accounts: outdated };
}

/** The accounts asked: every provisioned one, or a list; and whether only outdated ones count. */
export interface ProvisionScope {
  allAsked: boolean;
  targets: string[];
  onlyOutdated: boolean;
}

/** The plan for one permission set, from the accounts it is outdated and current in. */
export function planProvision(
  scope: ProvisionScope,
  outdatedAll: string[],
  currentAll: string[],
): { choice: ProvisionPlanChoice; detail: ProvisionDetail } {
  const { allAsked, targets, onlyOutdated } = scope;
  const inScope = (accounts: string[]) => (allAsked ? accounts : accounts.filter((a) => targets.includes(a)));
  const outdated = inScope(outdatedAll);
  const current = inScope(currentAll);
  const choice: ProvisionPlanChoice = onlyOutdated
    ? chooseProvisionPlan(outdated, outdatedAll.length + currentAll.length, allAsked)
    : allAsked
      ? { mode: 'all-provisioned-accounts', accounts: [...outdatedAll, ...currentAll] }
      : { mode: 'per-account', accounts: targets };
  const notProvisioned =
    onlyOutdated || allAsked
      ? []
      : targets.filter((t) => !outdatedAll.includes(t) && !currentAll.includes(t));
  const alreadyCurrent = onlyOutdated ? current : [];
  const detail: ProvisionDetail = {
    requestPlan: choice.mode,
    outdated,
    alreadyCurrent,
    ...(notProvisioned.length ? { notProvisionedBefore: notProvisioned } : {}),
  };
  return { choice, detail };
}

/** What became of one ProvisionPermissionSet request. */
export interface ProvisionOutcome {
  account: string;
  requestId?: string;
  status: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';
  failureReason?: string;
}

export interface ProvisionSummary {
  status: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';
  changed: boolean;
  requestId: string | undefined;
  failureReason: string | undefined;
  reprovisioned: string[];
  failed: { account: string; reason: string }[];
  inProgress: ProvisionOutcome[];
}

/**
 * The requests' outcomes for one permission set. After an ALL_PROVISIONED_ACCOUNTS request that
 * ended, `stillOutdated` (the accounts outdated afterwards) says which accounts it failed for.
 */
export function summariseProvision(
  outcomes: ProvisionOutcome[],
  choice: ProvisionPlanChoice,
  stillOutdated: Set<string> | undefined,
  deadlineSeconds: number,
): ProvisionSummary {
  const perAccount = outcomes.filter((o) => o.account !== ALL_PROVISIONED_ACCOUNTS);
  let failed = perAccount
    .filter((o) => o.status === 'FAILED')
    .map((o) => ({ account: o.account, reason: o.failureReason ?? 'FAILED' }));
  let reprovisioned = perAccount.filter((o) => o.status === 'SUCCEEDED').map((o) => o.account);
  const whole = outcomes.find((o) => o.account === ALL_PROVISIONED_ACCOUNTS);
  if (whole && whole.status !== 'IN_PROGRESS' && stillOutdated) {
    // One request covered every account: the accounts still outdated afterwards are the ones that failed.
    failed = choice.accounts
      .filter((a) => stillOutdated.has(a))
      .map((account) => ({
        account,
        reason: whole.failureReason ?? 'still outdated after ALL_PROVISIONED_ACCOUNTS provisioning',
      }));
    reprovisioned = choice.accounts.filter((a) => !stillOutdated.has(a));
  }
  const inProgress = outcomes.filter((o) => o.status === 'IN_PROGRESS');
  const status =
    failed.length > 0 || (whole?.status === 'FAILED' && failed.length === 0 && reprovisioned.length === 0)
      ? 'FAILED'
      : inProgress.length > 0
        ? 'IN_PROGRESS'
        : 'SUCCEEDED';
  const failureReason =
    failed.length > 0
      ? failed.map((f) => `${f.account}: ${f.reason}`).join('; ')
      : inProgress.length > 0
        ? `still IN_PROGRESS when the ${deadlineSeconds}s deadline passed: ${inProgress.map((o) => o.requestId).join(', ')}`
        : whole?.failureReason;
  return {
    status,
    changed: reprovisioned.length > 0 || inProgress.length > 0,
    requestId: outcomes.find((o) => o.requestId)?.requestId,
    failureReason,
    reprovisioned,
    failed,
    inProgress,
  };
}
