import { describe, expect, it } from '@jest/globals';
import {
  azureRunMarkOf,
  describedWithRunMarker,
  runMarkOfSessionName,
  sessionNameOf,
  withoutRelianceMarkers,
} from '../../src/core/run-marks.js';

describe('the AWS session name records the run that made a grant', () => {
  it('names the repository, run and attempt, and says when the grants are ephemeral', () => {
    const run = { repositoryId: '123456789', runId: '9876543210', attempt: '2' };
    expect(sessionNameOf({ ...run, ephemeral: false })).toBe('cloud-access-123456789-9876543210-2');
    expect(sessionNameOf({ ...run, ephemeral: true })).toBe('cloud-access-123456789-9876543210-2-e');
    expect(sessionNameOf({ ...run, ephemeral: true, expiresAt: 1790000000 })).toBe(
      'cloud-access-123456789-9876543210-2-e1790000000',
    );
  });

  it('reads back exactly what it writes', () => {
    const mark = { repositoryId: '1', runId: '22', attempt: '3', ephemeral: true, expiresAt: 1790000000 };
    expect(runMarkOfSessionName(sessionNameOf(mark)!)).toEqual(mark);
    expect(runMarkOfSessionName('cloud-access-1-22-3')).toEqual({
      repositoryId: '1',
      runId: '22',
      attempt: '3',
      ephemeral: false,
    });
    expect(runMarkOfSessionName('cloud-access-1-22-3-e')).toMatchObject({ ephemeral: true });
  });

  it("writes an access request's time-bound claim as -t<expiry> and its reliance as -tr<expiry>, and reads them back", () => {
    const mark = {
      repositoryId: '1',
      runId: '22',
      attempt: '1',
      ephemeral: true,
      timeBound: true,
      expiresAt: 1790000000,
    };
    expect(sessionNameOf(mark)).toBe('cloud-access-1-22-1-t1790000000');
    expect(sessionNameOf({ ...mark, relies: true })).toBe('cloud-access-1-22-1-tr1790000000');
    expect(runMarkOfSessionName('cloud-access-1-22-1-t1790000000')).toEqual(mark);
    expect(runMarkOfSessionName('cloud-access-1-22-1-tr1790000000')).toEqual({ ...mark, relies: true });
    // A time-bound claim always carries its expiry: without one it is no claim at all.
    for (const name of [
      'cloud-access-1-22-1-t',
      'cloud-access-1-22-1-tr',
      'cloud-access-1-22-1-te1',
      'cloud-access-1-22-1-rt1',
    ])
      expect(runMarkOfSessionName(name)).toBeUndefined();
  });

  it('takes no look-alike for a claim', () => {
    for (const name of [
      'cloud-access-22-3',
      'cloud-access-1-22-3-e-e',
      'cloud-access-1-22-3-x',
      'cloud-access-01-22-3',
      'my-cloud-access-1-22-3-e',
      'cloud-access-1-22-3-e12abc',
      'cloud-access-local-1',
    ])
      expect(runMarkOfSessionName(name)).toBeUndefined();
  });

  it('refuses a name longer than AWS allows', () => {
    const long = '9'.repeat(20);
    expect(
      sessionNameOf({ repositoryId: long, runId: long, attempt: long, ephemeral: true }),
    ).toBeUndefined();
  });
});

describe('the Azure description marker records the run of an ephemeral grant', () => {
  const mark = { repository: 'octo-org/app', runId: '42', attempt: '1', ephemeral: true };

  it('is appended to the description in brackets and read back from its end', () => {
    const description = describedWithRunMarker('deploy access', mark);
    expect(description).toBe('deploy access [cloud-access:octo-org/app:run:42:1:e]');
    expect(azureRunMarkOf(description)).toEqual(mark);
    expect(azureRunMarkOf(describedWithRunMarker('', { ...mark, expiresAt: 1790000000 }))).toEqual({
      ...mark,
      expiresAt: 1790000000,
    });
  });

  it('is not read from the middle of a description, nor from a manifest marker', () => {
    expect(azureRunMarkOf('[cloud-access:octo-org/app:run:42:1:e] and more')).toBeUndefined();
    expect(azureRunMarkOf('Managed [cloud-access:octo-org/app:access/prod.yml]')).toBeUndefined();
    expect(azureRunMarkOf('[cloud-access:octo-org/app:run:42:1:e9x]')).toBeUndefined();
  });
});

describe('a reliance marker taken out of a description', () => {
  const m = (run: string, kind: string) => `[cloud-access:octo-org/octo-repo:run:${run}:1:${kind}]`;

  it('leaves every other character as written: no space before a marker, an expiry past a safe integer', () => {
    const description = `deploy ${m('1', 'e')}${m('2', 'r')} ${m('3', 'r99999999999999999999')} ${m('4', 'r')}`;
    expect(withoutRelianceMarkers(description, (mark) => mark.runId === '4')).toEqual({
      description: `deploy ${m('1', 'e')}${m('2', 'r')} ${m('3', 'r99999999999999999999')}`,
      removed: [expect.objectContaining({ runId: '4', relies: true })],
    });
    expect(withoutRelianceMarkers(description, (mark) => mark.runId === '2').description).toBe(
      `deploy ${m('1', 'e')} ${m('3', 'r99999999999999999999')} ${m('4', 'r')}`,
    );
  });

  it('never takes out the first marker (the creating run’s) nor a creation marker after it', () => {
    const description = `${m('1', 'e')} ${m('2', 'e')} ${m('3', 'r')}`;
    expect(withoutRelianceMarkers(description, () => true).description).toBe(`${m('1', 'e')} ${m('2', 'e')}`);
  });
});
