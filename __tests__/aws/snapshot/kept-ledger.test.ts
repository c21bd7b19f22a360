// Two reports that keep the same snapshot write it in the same second (src/aws/snapshot/kept.ts):
// the loser merges its reads of the assignments into the winner's object, but never its usage
// ledger into the winner's. A ledger is whole or not at all: the loser's watermark beside the
// winner's uses would vouch for a stretch whose sign-ins only the loser read, and a use made there
// would read `none since`. The winner's ledger stays as it was written; the next run continues it
// from its own watermark and reads the loser's stretch again.
import { describe, expect, it } from '@jest/globals';
import { kept } from '../../../src/aws/snapshot/kept.js';
import type { SnapshotStore } from '../../../src/aws/snapshot/store.js';
import { SNAPSHOT_FORMAT, snapshotScope, type Snapshot } from '../../../src/core/snapshot/format.js';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const NOW = Date.parse('2026-06-01T00:00:00Z');
const ledgerTo = (until: string, uses: string[]) => ({
  version: 1,
  regions: { 'us-east-1': { since: '2026-03-01T00:00:00Z', until } },
  uses,
});
const snapshot = (usage: unknown): Snapshot => ({
  format: SNAPSHOT_FORMAT,
  instance: INSTANCE,
  scope: snapshotScope({ instance: INSTANCE, filters: {} }),
  completeReadAt: new Date(NOW - 86_400_000).toISOString(),
  watermark: new Date(NOW).toISOString(),
  permissionSets: [],
  accounts: null,
  places: {},
  groups: {},
  removedMemberships: {},
  principals: {},
  usage,
});

/** A bucket whose object another run replaced after this run read it. */
function raced(theirs: Snapshot): SnapshotStore & { written: unknown[] } {
  const written: unknown[] = [];
  return {
    where: 's3://snapshots/report/x.json.gz',
    written,
    read: () =>
      Promise.resolve({ found: true, etag: '"theirs"', content: JSON.parse(JSON.stringify(theirs)) }),
    write: (content, etag) => {
      if (etag !== '"theirs"') return Promise.resolve('lost');
      written.push(content);
      return Promise.resolve('written');
    },
  };
}

describe('the loser of a race to keep the snapshot', () => {
  it("keeps the winner's usage ledger whole, never its own watermark beside the winner's uses", async () => {
    const winner = ledgerTo('2026-05-31T23:00:00Z', ['alice']);
    const loser = ledgerTo('2026-06-01T00:00:00Z', ['alice', 'bob']);
    const store = raced(snapshot(winner));
    const said = await kept({ store, mayWrite: true }, { found: true, etag: '"ours"' }, snapshot(loser));
    expect(said).toMatch(/another run wrote .* meanwhile; this run's reads were merged into it/);
    expect(store.written).toHaveLength(1);
    expect((store.written[0] as Snapshot).usage).toEqual(winner);
  });
});
