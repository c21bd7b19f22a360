// What the Azure sweep writes back on a grant it leaves while a run still relies on it: the
// description without the reliance markers of the runs that have ended, and nothing else changed.
import { describe, expect, it } from '@jest/globals';
import { withoutEndedReliers } from '../../src/azure/sweep-tidy.js';

const REPO = 'octo-org/octo-repo';
const marker = (run: string, kind: string, attempt = '1') =>
  `[cloud-access:${REPO}:run:${run}:${attempt}:${kind}]`;
const ended = (runId: string, attempt = '1', expiresAt?: number) => ({
  run: { repository: REPO, runId, attempt },
  ephemeral: true,
  ...(expiresAt !== undefined ? { expiresAt } : {}),
});

describe('withoutEndedReliers: the markers of ended reliers go, all else stays', () => {
  it('keeps the user’s text, the creator’s marker and the live reliers’ markers, in order', () => {
    const description = `deploy api ${marker('1', 'e')} ${marker('2', 'r')} ${marker('3', 'r')} ${marker('4', 'r1900000000')}`;
    expect(withoutEndedReliers(description, [ended('2'), ended('4', '1', 1900000000)])).toEqual({
      description: `deploy api ${marker('1', 'e')} ${marker('3', 'r')}`,
      removed: 2,
    });
  });

  it('never removes the creating run’s marker, though its run has ended', () => {
    const description = `${marker('1', 'e')} ${marker('1', 'r', '2')}`;
    expect(withoutEndedReliers(description, [ended('1'), ended('1', '2')])).toEqual({
      description: marker('1', 'e'),
      removed: 1,
    });
  });

  it('removes only the attempt and expiry that ended: another attempt of the run, or another expiry, stays', () => {
    const description = `${marker('1', 'e')} ${marker('2', 'r')} ${marker('2', 'r', '2')} ${marker('2', 'r1900000000')}`;
    expect(withoutEndedReliers(description, [ended('2')])).toEqual({
      description: `${marker('1', 'e')} ${marker('2', 'r', '2')} ${marker('2', 'r1900000000')}`,
      removed: 1,
    });
  });
});
