// What a reconcile makes of a snapshot object it cannot trust, on the emulated IAM Identity Center,
// CloudTrail and S3 through the real SDKs: times after the step's clock (written by hand, or by a
// runner whose clock ran ahead), an object that inflates without end, JSON nested without end.
// Each is not used: a notice says why, the run reads completely and writes the object anew; the
// step never fails, or runs out of memory, on the object's account.
import { gzipSync } from 'node:zlib';
import { describe, expect, it, jest } from '@jest/globals';
import { emulatedSso } from '../../harness/emulated-sso.js';
import { snapshotPlanner } from '../../harness/snapshot-plan.js';

const sso = emulatedSso();
const { plan, tamper, stored, replace, objects } = snapshotPlanner(sso);

const MINUTE = 60_000;
/** The LookupEvents requests whose StartTime is after their EndTime (CloudTrail refuses them). */
const invalidRanges = () =>
  sso.emulator.requests
    .filter((r) => r.operation === 'LookupEvents')
    .filter((r) => {
      const input = (r.input ?? {}) as { StartTime?: number; EndTime?: number };
      return input.StartTime !== undefined && input.EndTime !== undefined && input.StartTime > input.EndTime;
    });

describe('a snapshot whose times lie after the step’s clock', () => {
  it('is not used when its watermark lies more than 5 minutes ahead: a notice, a complete read, and the object written anew', async () => {
    await plan();
    const ahead = new Date(Date.now() + 40 * MINUTE).toISOString();
    tamper((s) => {
      s.watermark = ahead;
    });
    const read = await plan();
    expect(read.read.notices?.[0]).toMatch(
      /^snapshot: a complete read, because the snapshot at s3:\/\/snapshots\/p\/\S+ is not used: its watermark .* lies (39|40) min( \d+ s)? after this step's clock, more than 5 minutes/,
    );
    expect(read.read.notices?.[1]).toMatch(/^snapshot: written to /);
    expect(Date.parse(stored().watermark)).toBeLessThanOrEqual(Date.now());
    expect(invalidRanges()).toEqual([]);
    // The object written anew is used by the next run.
    expect((await plan()).read.notices?.[0]).toMatch(/^snapshot: read from /);
  });

  it('is not used when its last complete read lies more than 5 minutes ahead', async () => {
    await plan();
    tamper((s) => {
      s.completeReadAt = new Date(Date.now() + 3 * 3_600_000).toISOString();
    });
    const read = await plan();
    expect(read.read.notices?.[0]).toMatch(
      /is not used: its last complete read .* lies (2 h 59 min|3 h)\b.* after this step's clock, more than 5 minutes/,
    );
    expect(invalidRanges()).toEqual([]);
    expect(Date.parse(stored().completeReadAt)).toBeLessThanOrEqual(Date.now());
  });

  it('is used when its times lie less than 5 minutes ahead (a runner’s clock a little fast)', async () => {
    await plan();
    tamper((s) => {
      s.watermark = new Date(Date.now() + 2 * MINUTE).toISOString();
      s.completeReadAt = s.watermark;
    });
    const read = await plan();
    expect(read.read.notices?.[0]).toMatch(/^snapshot: read from /);
    expect(invalidRanges()).toEqual([]);
  });
});

describe('an object the step would exhaust itself reading', () => {
  it('is not used when it inflates past 64 MiB: read no further, a notice, a complete read, written anew', async () => {
    await plan();
    replace(gzipSync(Buffer.alloc(65 * 1024 * 1024, 0x20)));
    // A deadline far past what reading 64 MiB takes, so that a busy machine reads as far as a quiet
    // one: what ends the read is the bound on its size, not the clock.
    const read = await plan(undefined, 600);
    expect(read.read.notices?.[0]).toMatch(
      /^snapshot: a complete read, because the snapshot at \S+ cannot be used: it inflates to more than 64 MiB/,
    );
    expect(read.read.notices?.[1]).toMatch(/^snapshot: written to /);
    expect((await plan()).read.notices?.[0]).toMatch(/^snapshot: read from /);
  }, 300_000);

  it('is not used when its JSON nests deeper than the format does, found before any of it is parsed', async () => {
    await plan();
    const bomb = `{"format":1,"places":${'['.repeat(100)}${']'.repeat(100)}}`;
    replace(gzipSync(bomb));
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const read = await plan();
      expect(read.read.notices?.[0]).toMatch(
        /^snapshot: a complete read, because the snapshot at \S+ cannot be used: its JSON nests deeper than \d+ levels/,
      );
      expect(parse.mock.calls.filter(([text]) => String(text).includes('[[[['))).toEqual([]);
    } finally {
      parse.mockRestore();
    }
    expect(objects()).toHaveLength(1);
    expect(stored().places).toEqual(expect.any(Object));
  });

  it('stops reading at the first level too deep, however deep the object goes', async () => {
    await plan();
    // 50 million levels: parsed whole, this would take the step's memory.
    replace(gzipSync(Buffer.alloc(50_000_000, '[')));
    const read = await plan();
    expect(read.read.notices?.[0]).toMatch(/cannot be used: its JSON nests deeper than/);
    expect(read.read.notices?.[1]).toMatch(/^snapshot: written to /);
  });
});
