// The leak scanner the end-to-end suite runs over every step: it must find a planted leak in each
// place the runner shows or keeps, and accept a secret that was masked before it appeared.
import { describe, expect, it } from '@jest/globals';
import { describeLeaks, findSecretLeaks, type StepTranscript } from '../../scripts/secret-scan.js';

const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZXBvOm9jdG8tb3JnL29jdG8tcmVwbzpyZWY6cmVmcy9oZWFkcy9tYWluIn0.c2lnbmF0dXJlLXRoYXQtbWFrZXMtaXQtYS1jcmVkZW50aWFsLTAxMjM0NTY3ODk';
const SIGNATURE = JWT.split('.')[2]!;
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SECRETS = [JWT, SECRET_KEY];
const EMPTY_FILES = { GITHUB_OUTPUT: '', GITHUB_STATE: '', GITHUB_STEP_SUMMARY: '' };
const scan = (log: string[], files: Record<string, string> = EMPTY_FILES) =>
  findSecretLeaks({ log, files } satisfies StepTranscript, SECRETS);

describe('findSecretLeaks', () => {
  it('accepts a secret masked before it appears, and the add-mask line itself', () => {
    expect(
      scan([
        `::add-mask::${JWT}`,
        `::add-mask::${SECRET_KEY}`,
        `::debug::token ${JWT} for the exchange`,
        `credentials ${SECRET_KEY}`,
        `::error::assume role failed with ${JWT}`,
      ]),
    ).toEqual([]);
  });

  it('finds a secret logged before it was masked', () => {
    const leaks = scan([`::debug::token ${JWT}`, `::add-mask::${JWT}`, `::debug::token ${JWT}`]);
    expect(leaks).toEqual([expect.objectContaining({ where: 'log', line: 1, secret: 0, form: 'value' })]);
  });

  it('finds a secret that was never masked, on stdout or stderr lines alike', () => {
    const leaks = scan(['starting', `Error: InvalidClientTokenId, key ${SECRET_KEY}`]);
    expect(leaks).toEqual([expect.objectContaining({ line: 2, secret: 1 })]);
  });

  it('finds a JWT signature shown alone, even when the whole token is masked', () => {
    const leaks = scan([`::add-mask::${JWT}`, `signature: ${SIGNATURE}`]);
    expect(leaks).toEqual([expect.objectContaining({ line: 2, secret: 0, form: 'JWT signature' })]);
  });

  it('finds URL-encoded and base64 forms, which masking the value also covers', () => {
    const encoded = [
      `body: WebIdentityToken=x&Secret=${encodeURIComponent(SECRET_KEY)}`,
      `authorization: Basic ${Buffer.from(SECRET_KEY).toString('base64')}`,
    ];
    expect(scan(encoded).map((l) => l.form)).toEqual(['URL-encoded', 'base64']);
    expect(scan([`::add-mask::${SECRET_KEY}`, ...encoded])).toEqual([]);
  });

  it('finds any appearance in GITHUB_OUTPUT, GITHUB_STATE or GITHUB_STEP_SUMMARY, masked or not', () => {
    const leaks = scan([`::add-mask::${JWT}`, `::add-mask::${SECRET_KEY}`], {
      GITHUB_OUTPUT: `status=SUCCEEDED\ntoken<<ghadelimiter_1\n${JWT}\nghadelimiter_1\n`,
      GITHUB_STATE: `grants=[]\ncredentials={"secretAccessKey":"${SECRET_KEY}"}\n`,
      GITHUB_STEP_SUMMARY: `| grant | ${SIGNATURE} |\n`,
    });
    expect(leaks.map((l) => [l.where, l.line, l.secret])).toEqual([
      ['GITHUB_OUTPUT', 3, 0],
      ['GITHUB_STATE', 2, 1],
      ['GITHUB_STEP_SUMMARY', 1, 0],
    ]);
  });

  it('decodes the add-mask value as the runner does, and ignores add-mask while commands are stopped', () => {
    const withPercent = 'abc%def0123456789XYZ';
    expect(
      findSecretLeaks({ log: ['::add-mask::abc%25def0123456789XYZ', withPercent], files: {} }, [withPercent]),
    ).toEqual([]);
    const leaks = scan(['::stop-commands::pause-1', `::add-mask::${JWT}`, '::pause-1::', `token ${JWT}`]);
    expect(leaks.map((l) => l.line)).toEqual([2, 4]);
  });

  it('reports without repeating the secret', () => {
    const leaks = scan([`token ${JWT} key ${SECRET_KEY}`]);
    const report = describeLeaks(leaks, SECRETS);
    expect(report).toContain('log:1: secret 0');
    expect(report).toContain('token <secret 0> key <secret 1>');
    expect(report).not.toContain(SIGNATURE);
    expect(report).not.toContain(SECRET_KEY);
  });
});
