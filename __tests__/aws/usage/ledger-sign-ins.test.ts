// The usage ledger read through the real SDK clients against the emulated CloudTrail
// (src/aws/usage/ledger-sign-ins.ts), when a Region of the instance misbehaves: a Region throttled
// past the step's deadline, or answering an HTML page, keeps its old watermark (the evidence
// incomplete until a run reads it again, from there, so a sign-in made meanwhile is not lost); a
// Region added to the instance later is read from the window's start. An unknown is never a delete.
import { describe, expect, it } from '@jest/globals';
import { createSsoSession } from '../../../src/aws/sso/session.js';
import { readSignInsWithLedger, type LedgerInput } from '../../../src/aws/usage/ledger-sign-ins.js';
import { ledgerJson } from '../../../src/core/usage/ledger-format.js';
import type { UsageLedger } from '../../../src/core/usage/ledger.js';
import { newestUses } from '../../../src/core/usage/last-used.js';
import {
  ACCOUNT,
  ALICE,
  READ_ONLY,
  awsPlan,
  emulatedDeps,
  emulatedSso,
  looseLookupPacing,
} from '../../harness/emulated-sso.js';

const sso = emulatedSso();
const aws = () => sso.emulator.aws;
const DAY = 86_400_000;
const WINDOW = 30 * DAY;
const request = { source: { kind: 'lookup-events' as const }, unusedAfterMs: WINDOW };

async function run(previous: UsageLedger | undefined, deadlineSeconds = 30) {
  const { deps, seams } = emulatedDeps(sso, deadlineSeconds);
  const session = createSsoSession({ ...awsPlan(), identityStoreId: aws().identityStoreId }, deps, {
    ...seams,
    ...looseLookupPacing(),
  });
  await session.prepare();
  const input: LedgerInput = {
    previous: previous ? { value: JSON.parse(JSON.stringify(ledgerJson(previous))) } : { none: 'none yet' },
    where: 's3://snapshots/report',
    names: { sets: [{ id: READ_ONLY, name: 'ReadOnlyAccess' }], listed: [READ_ONLY], users: [] },
  };
  return readSignInsWithLedger(session, deps, request, 'us-east-1', () => undefined, input);
}

const aliceUsed = (ledger: UsageLedger) =>
  newestUses({ signIns: ledger.uses, setNames: ledger.setNames }).uses.get(
    `${ALICE.toLowerCase()}|${ACCOUNT}|${READ_ONLY}`,
  );

describe('a Region that fails while the ledger is kept', () => {
  it.each([
    [
      'throttled past the deadline',
      () =>
        (aws().faults.failRequests = [
          {
            operation: 'LookupEvents',
            region: 'eu-west-1',
            status: 429,
            code: 'ThrottlingException',
            message: 'Rate exceeded',
          },
        ]),
    ],
    [
      'answering an HTML page',
      () => (aws().faults.htmlPages = [{ operation: 'LookupEvents', status: 200, times: 1 }]),
    ],
  ])(
    'when %s keeps its watermark: incomplete evidence, and the next run reads the sign-in made meanwhile',
    async (_, fail) => {
      Object.assign(aws().config, { cloudTrailTps: 1000, replicaRegions: ['eu-west-1'] });
      const first = await run(undefined);
      expect(first.read.gaps).toEqual([]);
      // Alice signs in in eu-west-1 while a run cannot read that Region.
      const used = aws().addRoleCredentialsEvent({
        userId: ALICE,
        accountId: ACCOUNT,
        roleName: 'ReadOnlyAccess',
        awsRegion: 'eu-west-1',
        at: Date.now() - 60_000,
      });
      fail();
      // The HTML page answers the first LookupEvents of this run, whichever Region sends it.
      const failing = await run(first.ledger, 3);
      const notRead = Object.keys(failing.ledger.regions).find(
        (r) => failing.ledger.regions[r]!.until === first.ledger.regions[r]!.until,
      )!;
      expect(failing.read.gaps.join('\n')).toContain(`${notRead} was not read`);
      aws().faults.failRequests = [];
      aws().faults.htmlPages = [];
      const next = await run(failing.ledger);
      expect(next.read.gaps).toEqual([]);
      expect(aliceUsed(next.ledger)?.eventId).toBe(used.eventId);
    },
  );
});

describe('a Region added to the instance after the ledger began', () => {
  it("is read from the window's start, and its sign-ins count at once", async () => {
    Object.assign(aws().config, { cloudTrailTps: 1000 });
    const first = await run(undefined);
    const used = aws().addRoleCredentialsEvent({
      userId: ALICE,
      accountId: ACCOUNT,
      roleName: 'ReadOnlyAccess',
      awsRegion: 'ap-southeast-2',
      at: Date.now() - 2 * DAY,
    });
    aws().config.replicaRegions = ['ap-southeast-2'];
    const next = await run(first.ledger);
    expect(next.ledger.regions['ap-southeast-2']!.since).toBeLessThanOrEqual(Date.now() - WINDOW);
    expect(next.read.gaps).toEqual([]);
    expect(aliceUsed(next.ledger)?.eventId).toBe(used.eventId);
  });
});
