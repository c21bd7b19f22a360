// docs/audit.md describes the records a step writes: its field table and its Athena table must name
// every field a record has, and no other, or an auditor's query finds nothing where it should. The
// records are built here with the functions the step writes them with (src/engine/audit/record.ts
// and the files beside it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { AUDITED_GRANT, AUDITED_RUN } from '../harness/audited-grant.js';
import { changeRecord } from '../../src/engine/audit/grant-record.js';
import { planRecord, stepRecord } from '../../src/engine/audit/record.js';
import { plannedSetEntry, setChangeRecord } from '../../src/aws/permission-sets/set-change-record.js';
import { fenceRecord } from '../../src/aws/permission-sets/fence-record.js';
import { fenceFor } from '../../src/core/permission-sets/session-fence.js';
import type { GrantResult } from '../../src/core/grant-result.js';
import { reviewCloseRecord } from '../../src/operations/review/due-date.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'audit.md'), 'utf8');

// Every field a record can hold, each filled in.
const run = AUDITED_RUN;
const step = {
  step: 'main' as const,
  operation: 'request' as const,
  run,
  request: { rule: 'oncall', justification: 'INC-1', approvers: ['octocat'], policyCommit: 'b'.repeat(40) },
};
const result: GrantResult = {
  ...AUDITED_GRANT,
  status: 'FAILED',
  failureReason: 'ConflictException',
  assignmentId: 'assignment-1',
  expiresAt: '2026-11-26T10:00:00Z',
};
const at = new Date('2026-11-26T09:00:00Z');
const records: Record<string, unknown>[] = [
  stepRecord(
    step,
    planRecord(
      'assign',
      [{ principal: 'alice', target: '123456789012', role: 'ReadOnly', kind: 'active' }],
      [
        plannedSetEntry({
          change: 'provision',
          name: 'ReadOnly',
          arn: 'arn:ps-1',
          accounts: ['123456789012'],
        }),
      ],
    ),
    1,
    at,
  ),
  stepRecord(step, changeRecord(result, 'request-grant'), 2, at),
  stepRecord(
    step,
    setChangeRecord({
      change: 'provision',
      name: 'ReadOnly',
      arn: 'arn:ps-1',
      accounts: ['123456789012'],
      status: 'FAILED',
      failedAccounts: [{ account: '123456789012', reason: 'AccessDenied' }],
    }),
    3,
    at,
  ),
  stepRecord(
    step,
    fenceRecord({
      arn: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef',
      name: 'ReadOnly',
      account: '123456789012',
      fence: fenceFor(
        'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef',
        '123456789012',
        at.getTime(),
        3600,
        ['90674403a0-e68deeb1-0257-4690-8610-67452ca9f769'],
      ),
      status: 'FAILED',
      failureReason: 'AccessDeniedException',
    }),
    4,
    at,
  ),
  stepRecord(
    { ...step, operation: 'review' },
    reviewCloseRecord('aws', {
      campaign: '2026-Q4',
      cloud: 'aws',
      key: 'k1',
      issue: 7,
      reviewers: ['alice (101)'],
      rows: [],
      ignored: [],
      outcomes: [{ rowId: 'abcd1234', outcome: 'revoke', byDefault: false, result: { status: 'revoked' } }],
      pullRequest: null,
      closingComment: 'https://github.com/o/r/issues/7#issuecomment-1',
      closedAt: '2026-11-26T09:00:00.000Z',
    }),
    5,
    at,
  ),
] as unknown as Record<string, unknown>[];

/** The keys of `field` across the records (every key, for no field). */
function keysOf(field?: string): string[] {
  const keys = new Set<string>();
  for (const record of records) {
    let value = field === undefined ? record : record[field];
    if (Array.isArray(value)) value = value[0];
    if (value && typeof value === 'object') Object.keys(value).forEach((k) => keys.add(k));
  }
  return [...keys].sort();
}

const sorted = (names: string[]) => [...names].sort();
const lower = (names: string[]) => sorted(names.map((n) => n.toLowerCase()));

/** The field table's rows: each row's field and what it holds. */
function tableRows(): Map<string, string> {
  const table = doc.slice(doc.indexOf('| field'));
  const rows = new Map<string, string>();
  for (const line of table.split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    const [, field, holds] = line.split('|').map((cell) => cell.trim());
    rows.set(field!.replace(/`/g, ''), holds!);
  }
  return rows;
}

/** The Athena table's columns, by name, with their types. */
function athenaColumns(): Map<string, string> {
  const ddl = /CREATE EXTERNAL TABLE cloud_access_audit \(\n([\s\S]*?)\n\)\nPARTITIONED BY/.exec(doc);
  expect(ddl).not.toBeNull();
  const columns = new Map<string, string>();
  for (const [, name, type] of ddl![1]!.matchAll(/^ {2}`(\w+)` ([\s\S]*?),?$(?=\n {2}`|(?![\s\S]))/gm))
    columns.set(name!, type!.replace(/\s+/g, ' '));
  return columns;
}

/** The field names of a `struct<…>` type (of its outermost struct, for an `array<struct<…>>`). */
function structFields(type: string): string[] {
  const inner = /struct<(.*)>/.exec(type)![1]!;
  // Split at the struct's own commas: those inside a field's `array<…>` or `struct<…>` are its type's.
  const fields: string[] = [];
  let depth = 0;
  let field = '';
  for (const c of inner) {
    if (c === ',' && depth === 0) {
      fields.push(field);
      field = '';
      continue;
    }
    depth += c === '<' ? 1 : c === '>' ? -1 : 0;
    field += c;
  }
  fields.push(field);
  return fields.map((f) => f.split(':')[0]!.trim().replace(/`/g, ''));
}

describe('docs/audit.md', () => {
  it('lists every field a record has in its field table, and no other', () => {
    expect(sorted([...tableRows().keys()])).toEqual(keysOf());
  });

  it('names every field of a record’s `run` in the table’s `run` row, and no other', () => {
    const named = [
      ...tableRows()
        .get('run')!
        .matchAll(/`(\w+)`/g),
    ].map((m) => m[1]!);
    expect(sorted(named)).toEqual(keysOf('run'));
  });

  it('has an Athena column for every field of a record, of the type its JSON value has', () => {
    const columns = athenaColumns();
    expect(lower([...columns.keys()])).toEqual(lower(keysOf()));
    const value = (name: string) => records.map((r) => r[name]).find((v) => v !== undefined);
    for (const [name, type] of columns) {
      const v = value(name);
      const expected =
        type === 'int'
          ? 'number'
          : type === 'string'
            ? 'string'
            : type.startsWith('array')
              ? 'array'
              : 'object';
      expect([name, Array.isArray(v) ? 'array' : typeof v]).toEqual([name, expected]);
    }
  });

  it('has in each Athena struct the fields of a record’s object, and no other', () => {
    for (const [name, type] of athenaColumns()) {
      if (!type.includes('struct<')) continue;
      expect([name, lower(structFields(type))]).toEqual([name, lower(keysOf(name))]);
    }
  });

  it('documents no made-up field in its queries', () => {
    expect(doc).not.toMatch(/\bphase\b|run\.(attempt|url)\b|'\$\.run\.url'/);
  });
});
