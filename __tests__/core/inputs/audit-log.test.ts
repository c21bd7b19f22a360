// Input `audit-log`: where each change is recorded, checked before any call, each problem naming
// the input and its fix.
import { describe, expect, it } from '@jest/globals';
import { AUDIT_STORES } from '../../../src/core/inputs/audit-log.js';
import { parseInputs } from '../../../src/core/inputs/index.js';
import { inputProblems, reader } from '../../harness/input-problems.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const aws = {
  cloud: 'aws',
  principal: 'alice',
  target: '123456789012',
  role: 'ReadOnly',
  'aws-region': 'eu-west-1',
  'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access',
};
const azure = {
  cloud: 'azure',
  principal: 'aaaaaaaa-2222-3333-4444-555555555555',
  target: `/subscriptions/${SUB}`,
  role: 'Reader',
  'client-id': 'aaaaaaaa-2222-3333-4444-555555555551',
  'tenant-id': 'aaaaaaaa-2222-3333-4444-555555555552',
};

const problemsOf = (inputs: Record<string, string>) => inputProblems(inputs);

describe('audit-log', () => {
  it('is absent when empty: no records are kept', () => {
    expect(parseInputs(reader(aws)).auditLog).toBeUndefined();
  });

  it('AWS: takes an S3 bucket and the prefix of its keys, without the slashes at either end', () => {
    expect(
      parseInputs(reader({ ...aws, 'audit-log': 's3://audit-bucket/cloud-access/prod/' })).auditLog,
    ).toEqual({
      store: 's3',
      bucket: 'audit-bucket',
      prefix: 'cloud-access/prod',
      url: 's3://audit-bucket/cloud-access/prod/',
    });
    expect(parseInputs(reader({ ...aws, 'audit-log': 's3://audit-bucket' })).auditLog).toMatchObject({
      prefix: '',
    });
  });

  it('Azure: takes a blob endpoint, its container and prefix, the account URL kept for the SDK', () => {
    const url = 'https://myaudit.blob.core.windows.net/audit/cloud-access';
    expect(parseInputs(reader({ ...azure, 'audit-log': url })).auditLog).toEqual({
      store: 'blob',
      accountUrl: 'https://myaudit.blob.core.windows.net',
      container: 'audit',
      prefix: 'cloud-access',
      url,
    });
  });

  it("is the store the step's cloud signs in to, which the adapter's sink is chosen by (steps/cloud-adapters.ts)", () => {
    const { auditLog: s3 } = parseInputs(reader({ ...aws, 'audit-log': 's3://audit-bucket' }));
    const url = 'https://myaudit.blob.core.windows.net/audit';
    const { auditLog: blob } = parseInputs(reader({ ...azure, 'audit-log': url }));
    expect([s3?.store, blob?.store]).toEqual([AUDIT_STORES.aws, AUDIT_STORES.azure]);
  });

  it("Azure: takes Azurite's path-style URL, the account being the path's first segment", () => {
    const url = 'https://127.0.0.1:10000/devstoreaccount1/audit/runs';
    expect(parseInputs(reader({ ...azure, 'audit-log': url })).auditLog).toEqual({
      store: 'blob',
      accountUrl: 'https://127.0.0.1:10000/devstoreaccount1',
      container: 'audit',
      prefix: 'runs',
      url,
    });
  });

  it("refuses the other cloud's store, a bad bucket or container, plain HTTP and any other host, naming the input and an example", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { ...aws, 'audit-log': 'https://myaudit.blob.core.windows.net/audit' },
        /not an S3 location.*s3:\/\/my-audit-bucket/,
      ],
      [{ ...aws, 'audit-log': 's3://Bad_Bucket/x' }, /not a valid S3 bucket name/],
      [{ ...aws, 'audit-log': 's3://bucket/a/../b' }, /prefix with an empty, `.` or `..` segment/],
      [{ ...azure, 'audit-log': 's3://bucket/x' }, /plain `https:\/\/` URL/],
      [{ ...azure, 'audit-log': 'http://myaudit.blob.core.windows.net/audit' }, /plain `https:\/\/` URL/],
      [
        { ...azure, 'audit-log': 'https://evil.example.com/acct/audit' },
        /not a storage account's blob endpoint/,
      ],
      [{ ...azure, 'audit-log': 'https://myaudit.blob.core.windows.net/A' }, /not a valid container name/],
      [
        { ...azure, 'audit-log': 'https://myaudit.blob.core.windows.net/audit?sv=1&sig=x' },
        /no credentials, query or fragment/,
      ],
    ];
    for (const [inputs, expected] of cases) {
      const problems = problemsOf(inputs);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^input `audit-log`/);
      expect(problems[0]).toMatch(expected);
    }
  });

  it('Azure: refuses a `.` or `..` segment as written, which the URL parser would resolve into another container or account', () => {
    for (const url of [
      'https://myaudit.blob.core.windows.net/audit/../evil/x',
      'https://myaudit.blob.core.windows.net/audit/%2E%2e/x',
      'https://myaudit.blob.core.windows.net/audit/./x',
      'https://myaudit.blob.core.windows.net\\audit\\..\\evil',
      'https://127.0.0.1:10000/devstoreaccount1/audit/../../other/c/p',
    ]) {
      const problems = problemsOf({ ...azure, 'audit-log': url });
      expect(problems).toEqual([expect.stringMatching(/^input `audit-log`.*`\.\.` segment/)]);
    }
  });

  it('never repeats a password, SAS signature or query pasted into the location', () => {
    const cases = [
      { ...azure, 'audit-log': 'https://myaudit.blob.core.windows.net/audit?sv=2024-01-01&sig=SECRETSIG' },
      { ...azure, 'audit-log': 'https://user:SECRETPASS@myaudit.blob.core.windows.net/audit' },
      { ...azure, 'audit-log': 'https://myaudit.blob.core.windows.net/audit#SECRETFRAG' },
      { ...aws, 'audit-log': 's3://AKIAEXAMPLE:SECRETKEY@audit-bucket/x' },
      { ...aws, 'audit-log': 's3://audit-bucket?token=SECRETTOKEN' },
    ];
    for (const inputs of cases) {
      const problems = problemsOf(inputs);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^input `audit-log`/);
      expect(problems[0]).not.toMatch(/SECRET|AKIAEXAMPLE/);
    }
  });

  it('refuses a prefix longer than 512 bytes, before any call, rather than have S3 refuse every key as too long', () => {
    // 512 characters, 1,532 bytes in UTF-8: with the date and the run's IDs, past S3's 1,024-byte key.
    const prefix = Array.from({ length: 3 }, () => '€'.repeat(170)).join('/');
    expect(prefix.length).toBeLessThanOrEqual(512);
    const problems = problemsOf({ ...aws, 'audit-log': `s3://audit-bucket/${prefix}` });
    expect(problems).toEqual([expect.stringMatching(/^input `audit-log`.*512 bytes/)]);
  });

  it('is refused on a report, which changes nothing to record', () => {
    expect(
      problemsOf({
        cloud: 'aws',
        operation: 'report',
        'aws-region': 'eu-west-1',
        'audit-log': 's3://bucket/x',
      }),
    ).toEqual([expect.stringMatching(/`audit-log`: does not apply to `operation: report`/)]);
  });
});
