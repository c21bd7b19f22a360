// What a report says cannot mislead, whatever the earlier report (`compare-to`) holds: a file anyone
// with write access could have replaced. A grant it lists twice counts once, a row it cannot read
// is said and never taken for a gain, only the part both reports read is compared, and the job
// summary stays within the 1 MiB GitHub keeps of a step's, saying what it left out. Every row
// ARM's or a marker's doubt touches carries its warning into the log and the files.
import { describe, expect, it } from '@jest/globals';
import { parseInputs, type ConfigOf } from '../../../src/core/inputs/index.js';
import type { HeldAssignment } from '../../../src/engine/run/access-reader.js';
import type { AccessReader } from '../../../src/engine/run/access-reader.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import { runReport, type ReportSources } from '../../../src/operations/report/index.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';

const RUN = {
  repository: 'octo-org/octo-repo',
  repositoryId: '42',
  runId: '7',
  runAttempt: '1',
  serverUrl: 'https://github.com',
};
const PUSH = { eventName: 'push', tokenEndpoint: 'https://token.example' };
const config = (inputs: Record<string, string> = {}) =>
  parseInputs(
    (name) =>
      ({
        cloud: 'aws',
        operation: 'report',
        'aws-region': 'us-east-1',
        'role-to-assume': 'arn:aws:iam::123456789012:role/r',
        'compare-to': 'prev.json',
        ...inputs,
      })[name] ?? '',
    {},
    RUN,
  ) as ConfigOf<'report'>;

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
const grant = (principal: string, account = ACCOUNT, more: Partial<HeldAssignment> = {}): HeldAssignment => ({
  kind: 'aws-account-assignment',
  principal: { id: principal, name: principal, kind: 'user' },
  role: { id: 'ps-1', name: 'ReadOnly' },
  target: { id: account },
  ...more,
});
const row = (principalId: string, more: Record<string, unknown> = {}) => ({
  principalId,
  roleId: 'ps-1',
  targetId: ACCOUNT,
  ...more,
});

/** A report step over a reader that finds `held`, with the earlier report `previous`. */
async function report(
  held: HeldAssignment[],
  previous: unknown,
  cover?: { targets: string[] | null; roles: string[] | null },
) {
  const written: { json: string; csv: string }[] = [];
  const read = {
    held,
    notes: [],
    warnings: [],
    read: { strategy: 'by principal', calls: 1, alternatives: [] },
    readMs: 1,
    scope: 'everything',
    ...(cover ? { cover } : {}),
  };
  const reader: AccessReader = { cloud: 'aws', stats: emptyStats(), read: async () => read };
  const sources: ReportSources = {
    readManifest: async (path) => ({ path, unreadable: 'was not found' }),
    readPrevious: async (path) => ({ path, text: JSON.stringify(previous) }),
    openReader: async () => ({ reader }),
    writeFiles: async (json, csv) => {
      written.push({ json, csv });
      return { json: '/tmp/r.json', csv: '/tmp/r.csv' };
    },
    openPulls: () => Promise.reject(new Error('a report without `prune` opens no pull request')),
  };
  const { effects, said, outputs } = recordedRunner();
  await runReport(config(), onEvent(effects, PUSH), sources, () => 0);
  return { said, outputs, written, changes: outputs.changes ? JSON.parse(outputs.changes) : undefined };
}
const warned = (said: { warnings: { message: string }[] }) => said.warnings.map((w) => w.message).join('\n');

describe('compared with an earlier report', () => {
  it('counts a grant the earlier report lists three times once, and says so', async () => {
    const { changes, said } = await report([grant('u-1')], {
      version: 1,
      cloud: 'aws',
      rows: [row('u-1'), row('u-9'), row('u-9'), row('u-9')],
    });
    expect(changes).toEqual({ gained: 0, lost: 1, duplicates: 2 });
    expect(warned(said)).toMatch(/2 row\(s\) of the earlier report repeat a grant .*counted once/);
  });

  it('says how many earlier rows it could not read, rather than take their grants for gains unsaid', async () => {
    const { changes, said } = await report([grant('u-1'), grant('u-2')], {
      version: 1,
      cloud: 'aws',
      rows: [row('u-1'), { principalId: 'u-2', roleId: 'ps-1' }, 'not a row'],
    });
    expect(changes).toEqual({ gained: 1, lost: 0, unreadable: 2 });
    expect(warned(said)).toMatch(
      /2 row\(s\) of the earlier report could not be read .*a grant among them that is still held shows as gained/,
    );
    expect(said.summary).toMatch(/Not compared: 2 row\(s\) of the earlier report could not be read/);
  });

  it('compares only the part both reports read, and says where each read', async () => {
    const { changes, said, written } = await report(
      [grant('u-1'), grant('u-2', OTHER_ACCOUNT)],
      {
        version: 1,
        cloud: 'aws',
        cover: { targets: [ACCOUNT], roles: null, expandGroups: false },
        rows: [row('u-1')],
      },
      { targets: null, roles: null },
    );
    expect(changes).toEqual({ gained: 0, lost: 0 });
    expect(warned(said)).toMatch(
      /the earlier report read target\(s\) 1 \(111111111111\), every role, without groups expanded; this one every target, .*only grants both read are compared \(0 of the earlier report's and 1 of this one's left out\)/,
    );
    // This report says where it read, for the next one.
    expect(JSON.parse(written[0]!.json).cover).toEqual({ targets: null, roles: null, expandGroups: false });
  });

  it('compares an earlier report that does not say where it read whole, and says so', async () => {
    const { changes, said } = await report(
      [grant('u-1'), grant('u-2', OTHER_ACCOUNT)],
      { version: 1, cloud: 'aws', rows: [row('u-1')] },
      { targets: null, roles: null },
    );
    expect(changes).toEqual({ gained: 1, lost: 0 });
    expect(warned(said)).toMatch(/the earlier report does not say where it read/);
  });
});

describe("the job summary stays within the 1 MiB GitHub keeps of a step's", () => {
  const MIB = 1024 * 1024;

  it('with an earlier report of long names: each cut short, every text inert', async () => {
    const long = (n: number) => `<b>${'x'.repeat(20_000)}</b>${n}`;
    const { said, changes } = await report([grant('u-1')], {
      version: 1,
      cloud: 'aws',
      rows: Array.from({ length: 400 }, (_, n) =>
        row(`u-${n + 10}`, { principalName: long(n), role: long(n), target: long(n) }),
      ),
    });
    expect(changes).toEqual({ gained: 1, lost: 400 });
    const summary = said.summary;
    expect(Buffer.byteLength(summary)).toBeLessThan(MIB);
    expect(summary).toMatch(/<li>and 200 more<\/li>/);
    expect(summary).not.toContain('<b>');
  });

  it('with many rows of long names: cut at a whole row, saying what it left out and where the rest is', async () => {
    const long = 'y'.repeat(5_000);
    const held = Array.from({ length: 1000 }, (_, n) =>
      grant(`u-${String(n).padStart(4, '0')}`, ACCOUNT, {
        principal: { id: `u-${String(n).padStart(4, '0')}`, name: `${long}${n}`, kind: 'user' },
        role: { id: 'ps-1', name: long },
        target: { id: ACCOUNT, name: long },
        warning: long,
      }),
    );
    const { said } = await report(held, { version: 1, cloud: 'aws', rows: [] });
    const summary = said.summary;
    expect(Buffer.byteLength(summary)).toBeLessThan(MIB);
    expect(summary).toMatch(
      /Left out of this summary, to keep it within the 1 MiB GitHub keeps of a step's summary: \d+ of the 1000 row\(s\)\. The files hold every row/,
    );
    expect(summary.trimEnd()).toMatch(/<\/details>\n<p>Left out[^<]*<code>report-json<\/code>[^]*<\/p>$/);
  });
});

describe('a row with a warning', () => {
  it('says it in an annotation, the log, the summary and both files', async () => {
    const { said, written } = await report(
      [
        grant('u-1', ACCOUNT, {
          warning: 'its description claims manifest `a.yml`, but none of its entries lists it',
        }),
      ],
      { version: 1, cloud: 'aws', rows: [] },
    );
    expect(said.warnings[0]!.message).toMatch(/u-1 .*warning: its description claims manifest `a\.yml`/);
    expect(said.summary).toMatch(/warning: its description claims manifest `a\.yml`/);
    expect(JSON.parse(written[0]!.json).rows[0].warning).toMatch(/claims manifest/);
    expect(written[0]!.csv.split('\r\n')[0]).toMatch(
      /,warning,grantedAt,grantedBy,inherited,kind,covered,readAt,live$/,
    );
  });
});
