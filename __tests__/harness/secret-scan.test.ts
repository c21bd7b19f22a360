// The leak scanner the end-to-end suite runs over every step: it must find a planted leak in each
// place the runner shows or keeps, and accept a secret that was masked before it appeared.
import { describe, expect, it } from '@jest/globals';
import {
  describeLeaks,
  findSecretLeaks,
  legacyCommandNames,
  runnerCommand,
  type StepTranscript,
} from './secret-scan.js';

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

  it('registers a mask from the legacy `##[add-mask]` form anywhere in a line, decoded as the runner decodes it', () => {
    expect(scan([`text before ##[add-mask]${JWT}`, `token ${JWT}`, `key ${SECRET_KEY}`])).toEqual([
      expect.objectContaining({ line: 3, secret: 1 }),
    ]);
    const withBracket = 'abc]def;0123456789XYZ%';
    expect(
      findSecretLeaks({ log: ['##[add-mask]abc%5Ddef%3B0123456789XYZ%25', withBracket], files: {} }, [
        withBracket,
      ]),
    ).toEqual([]);
  });

  it('stops commands at a legacy `##[stop-commands]` anywhere in a line: a later add-mask is shown, not registered', () => {
    const leaks = scan([
      `reason: access denied ##[stop-commands]t0k3n`,
      `::add-mask::${JWT}`,
      `##[add-mask]${SECRET_KEY}`,
      `token ${JWT}`,
    ]);
    expect(leaks.map((l) => [l.line, l.secret])).toEqual([
      [2, 0],
      [3, 1],
      [4, 0],
    ]);
  });

  it('resumes at a command named by the token, in either form, and only then registers masks again', () => {
    for (const resume of ['::t0k3n::', '##[t0k3n]', 'text ##[T0K3N]']) {
      const leaks = scan([
        '::stop-commands::t0k3n',
        '::warning::t0k3n',
        `::add-mask::${JWT}`,
        resume,
        `::add-mask::${SECRET_KEY}`,
        `key ${SECRET_KEY}`,
      ]);
      expect([resume, leaks.map((l) => l.line)]).toEqual([resume, [3]]);
    }
  });

  it('reads a line as the runner does: a `::` command first, so a `##[` inside a warning is only text', () => {
    expect(scan(['::warning::reason ##[stop-commands]t0k3n', `::add-mask::${JWT}`, `token ${JWT}`])).toEqual(
      [],
    );
    expect(scan(['::unknown::x ##[stop-commands]t0k3n', `::add-mask::${JWT}`]).map((l) => l.line)).toEqual([
      2,
    ]);
  });

  it('finds every secret of a credential renewal that follows a stop-commands a server planted', () => {
    const renewed = [
      'eyJh.eyJz.cmVuZXdlZC1zaWduYXR1cmUtMDEyMzQ1Njc4OQ',
      'ASIARENEWEDKEY0123',
      'renewed/secret+key0123456789',
    ];
    const log = [
      `::add-mask::${JWT}`,
      '::group::✗ assign alice → 111111111111 / ReadOnlyAccess: FAILED',
      'reason: ##[stop-commands]t0k3n',
      '::endgroup::',
      ...renewed.map((secret) => `::add-mask::${secret}`),
    ];
    const leaks = findSecretLeaks({ log, files: {} }, [JWT, ...renewed]);
    expect(leaks.map((l) => [l.line, l.secret])).toEqual([
      [5, 1],
      [6, 2],
      [7, 3],
    ]);
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

describe('runnerCommand', () => {
  it('reads a `::` command at the start of a line, after white space, with its data unescaped', () => {
    expect(runnerCommand('  ::Add-Mask::a%25b%0Ac')).toEqual({
      name: 'add-mask',
      form: '::',
      data: 'a%b\nc',
    });
    expect(runnerCommand('::warning file=x,line=1::message')).toMatchObject({
      name: 'warning',
      data: 'message',
    });
    expect(runnerCommand('text ::warning::message')).toBeUndefined();
  });

  it("reads a legacy command at a line's first `##[`, wherever it is, when its name is registered", () => {
    expect(runnerCommand('log text ##[add-mask]a%3Bb%5Dc')).toEqual({
      name: 'add-mask',
      form: '##[',
      data: 'a;b]c',
    });
    expect(runnerCommand('##[set-output name=status;]SUCCEEDED')).toMatchObject({ name: 'set-output' });
    expect(runnerCommand('##[not-a-command]x ##[warning]y')).toBeUndefined();
    expect(runnerCommand('::not-a-command::##[warning]y')).toMatchObject({ name: 'warning', data: 'y' });
    expect(runnerCommand('%23%23[warning]x')).toBeUndefined();
  });
});

describe('legacyCommandNames', () => {
  it('finds every `##[` followed by a command name in a line, not only the first, in any case', () => {
    expect(legacyCommandNames('a ##[nothing] b ##[Warning]c ##[stop-commands]t ##[group x]')).toEqual([
      'warning',
      'stop-commands',
      'group',
    ]);
    expect(legacyCommandNames('#[warning] %23%23[warning]')).toEqual([]);
  });
});
