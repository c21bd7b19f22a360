// How a report ends: a log line per row and the counts, the files it wrote, its outputs (the rows
// themselves only while few enough), what changed since an earlier report, and a warning per row
// that carries one, up to ten.
import { describe, expect, it } from '@jest/globals';
import { MAX_RESULTS_ROWS, reportEnding } from '../../../src/operations/report/access-ending.js';
import type { PreviousReport } from '../../../src/operations/report/access-compare.js';
import { accessRows } from '../../../src/operations/report/access-rows.js';
import { held, RUN } from './held-rows.js';
import { outputsAsSet } from '../../harness/step-outputs.js';

const options = {
  cloud: 'aws' as const,
  header: { title: 'cloud-access: aws report' },
  readLine: 'read by principal',
  files: { json: 'access-report-aws.json', csv: 'access-report-aws.csv' },
};
const outputs = (report: ReturnType<typeof reportEnding>) => outputsAsSet(report).text;
const users = (count: number, more = {}) =>
  accessRows(
    'aws',
    Array.from({ length: count }, (_, i) => held(more, `u-${i}`, `user${i}`)),
    RUN,
  );

describe('a report ends with its rows, counts and files', () => {
  it('logs a line per row, the counts by class and where the files are', () => {
    const report = reportEnding(users(2), options);
    expect(report.lines).toEqual([
      expect.stringMatching(/^\[foreign\] .*user0/),
      expect.stringMatching(/^\[foreign\] .*user1/),
      'report: 2 row(s): 2 foreign',
      'report files: access-report-aws.json, access-report-aws.csv',
    ]);
  });

  it('outputs SUCCEEDED, unchanged, the files, the counts and the rows', () => {
    const out = outputs(reportEnding(users(1), options));
    expect(out).toMatchObject({
      status: 'SUCCEEDED',
      changed: 'false',
      'report-json': 'access-report-aws.json',
      'report-csv': 'access-report-aws.csv',
    });
    expect(JSON.parse(out.plan!)).toMatchObject({ foreign: 1, manifest: 0 });
    expect(JSON.parse(out.results!)).toEqual([expect.objectContaining({ principalId: 'u-0' })]);
    expect(out).not.toHaveProperty('changes');
  });

  it(`leaves the rows out of the outputs past ${MAX_RESULTS_ROWS}: the files hold them`, () => {
    expect(outputs(reportEnding(users(MAX_RESULTS_ROWS), options))).toHaveProperty('results');
    expect(outputs(reportEnding(users(MAX_RESULTS_ROWS + 1), options))).not.toHaveProperty('results');
  });
});

describe('compared with an earlier report', () => {
  it('says and outputs how many grants were gained and lost since it', () => {
    const earlier: PreviousReport = { rows: users(2), cover: undefined, unreadable: 1, duplicates: 0 };
    const report = reportEnding(users(1), {
      ...options,
      previous: { report: earlier, path: 'prev.json' },
    });
    expect(report.lines).toContain('since prev.json: 0 gained, 1 lost');
    expect(JSON.parse(outputs(report).changes!)).toEqual({ gained: 0, lost: 1, unreadable: 1 });
  });
});

describe('a row that carries a warning is warned of', () => {
  it('once each, up to ten, then once for the rest, pointing to the files', () => {
    const report = reportEnding(users(12, { warning: 'a marker copied by hand' }), options);
    const warnings = (report.annotations ?? []).filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toHaveLength(11);
    expect(warnings[0]).toMatch(/^\[foreign\] .*user0/);
    expect(warnings[10]).toBe(
      '2 more row(s) carry a warning: the report files hold each in their `warning` column',
    );
  });
});
