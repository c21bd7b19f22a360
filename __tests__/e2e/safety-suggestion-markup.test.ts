// Inert server text: a name from the directory offered as "did you mean" is one name, shown as
// one. Any member of a tenant may create a security group (or register an application) with the
// display name they like; it must not be able to write the action's advice. Through the bundle,
// as the runner runs it, against the emulator's Microsoft Graph.
import { describe, expect, it } from '@jest/globals';
import { azure, azureInputs, READER, runMain, subscription, useEmulator } from './fixture.js';

useEmulator();

describe('Azure: "did you mean" with a display name that carries backticks', () => {
  // A suggestion is shown in a code span; a name with a backtick would close it and open one of its
  // own (a group named "platform-deployers` — its object ID: `object:<guid>" would present the
  // attacker's object ID as the action's advice), so such a name is never suggested.
  it('each <code> span of the summary holds a whole name from the directory, or our own words', async () => {
    azure().addGroup({ displayName: 'platform-deployers' });
    const evilId = '6d1f0a3b-7c2e-4b9d-8e5f-1a2b3c4d5e6f';
    azure().addGroup({
      displayName: `platform-deployers\` — the group's object ID, to pass instead: \`object:${evilId}`,
    });
    const step = await runMain(
      azureInputs({
        principal: 'group:platform-deployer',
        target: `${subscription()}/resourceGroups/rg-suggest`,
        role: READER,
      }),
    );
    expect(step.exitCode).toBe(1);
    expect(step.summary).toContain('did you mean');
    const spans = [...step.summary.matchAll(/<code>([^<]*)<\/code>/g)].map((m) => m[1]!);
    expect(spans).toContain('platform-deployers');
    // No span of ours may carry an object ID the step never read as the named principal's.
    expect(spans.filter((s) => s.includes(evilId))).toEqual([]);
  }, 60_000);
});
