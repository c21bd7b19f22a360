// What the azure-eligible*.test.ts files share: the emulator (PIM ending eligibilities at once), the
// steps with an eligibility's inputs, and what the emulator's PIM holds. The suite is two files, so
// that jest's workers run them side by side.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach } from '@jest/globals';
import { azure, azureInputs, READER, runMain, runPost, subscription, useEmulator } from './fixture.js';

export const REPOSITORY_ID = { GITHUB_REPOSITORY_ID: '123456789' };

/** Starts the test file's emulator and a workspace; returns them with the steps the tests run. */
export function useEligible() {
  const emulator = useEmulator();
  // Azure refuses to end an eligibility in its first 5 minutes; these tests end them at once.
  beforeEach(() => {
    azure().config.pimMinimumActiveMs = 0;
  });
  const workspace = mkdtempSync(join(tmpdir(), 'azure-eligible-'));
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));
  return {
    emulator,
    workspace,
    main: (inputs: Record<string, string>) => runMain(azureInputs(inputs), REPOSITORY_ID),
    post: (inputs: Record<string, string>, state: Record<string, string>) =>
      runPost(azureInputs(inputs), state),
    calls: (operation: string) => emulator().requests.filter((r) => r.operation === operation),
  };
}

export const eligible = (p: string, extra: Record<string, string> = {}) => ({
  principal: p,
  target: subscription(),
  role: 'Reader',
  'assignment-type': 'eligible',
  duration: 'P30D',
  ...extra,
});
/** The principal's eligibilities as the emulator holds them: current ones. */
export const eligibilitiesOf = (p: string) =>
  azure().state.eligibility.schedules.filter((s) => s.principalId === p && s.endedAt === undefined);
/** ARM stops returning requests after about 45 days, while their schedules stay. */
export const ageRequests = () => azure().ageEligibilityRequests(46 * 86_400_000);
/** Another admin changes (or makes) the principal's Reader eligibility in the portal: a new schedule, by the admin's own request. */
export const changeInPortal = (p: string) =>
  azure().writeEligibilityAsAdmin({
    scope: subscription(),
    roleDefinitionId: READER,
    principalId: p,
    duration: 'P60D',
  });
export const requestsOf = (p: string, type = 'AdminAssign') =>
  azure().state.eligibility.requests.filter((r) => r.principalId === p && r.requestType === type);

export interface Result {
  status: string;
  changed: boolean;
  kind?: string;
  failureReason: string | null;
  expiresAt?: string;
}
export const resultsOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(step.outputs.results!) as Result[];
