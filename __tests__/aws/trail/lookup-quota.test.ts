// CloudTrail's LookupEvents quota, 2 requests a second per account and Region ("Quotas in AWS
// CloudTrail"), on the emulated CloudTrail at that quota through the real SDK: every lookup a step
// makes through one signed-in session shares it (the snapshot's delta, the sweep's and the claims'
// history), so reads made at once are paced together and none is throttled.
import { describe, expect, it } from '@jest/globals';
import { AssignmentTrail } from '../../../src/aws/trail/cloudtrail.js';
import { readWriteEvents } from '../../../src/aws/snapshot/write-events.js';
import { createSsoSession } from '../../../src/aws/sso/session.js';
import { awsPlan, emulatedDeps, emulatedSso } from '../../harness/emulated-sso.js';

const sso = emulatedSso();
const lookups = () => sso.emulator.requests.filter((r) => r.operation === 'LookupEvents');

describe("LookupEvents' 2 a second", () => {
  it('is shared by the lookups one session makes at once: paced together, none throttled', async () => {
    sso.emulator.aws.config.cloudTrailTps = 2;
    const { deps, seams } = emulatedDeps(sso);
    const session = createSsoSession(awsPlan(), deps, seams);
    const until = Date.now();
    const since = until - 3_600_000;
    // A claims' history read (creates and deletes) and a snapshot's delta (every name it looks up),
    // each as the step makes them, at the same time.
    await Promise.all([
      new AssignmentTrail(session.clients, deps, session.stats).read(
        sso.emulator.aws.instanceArn,
        since,
        until,
      ),
      readWriteEvents(session.clients, deps, session.stats, since, until),
    ]);
    expect(lookups().length).toBeGreaterThan(4);
    expect(lookups().filter((r) => r.status !== 200)).toEqual([]);
  }, 30_000);
});
