// Shared grants on Azure, the pure part: what a relying step writes on the description, and when
// the post step of the run that made an assignment still holds it its own alone.
import { describe, expect, it } from '@jest/globals';
import { relianceWriteOf, soleOwnershipOf } from '../../../src/core/state/azure-reliance.js';

const RUN_2 = { repository: 'octo-org/octo-repo', runId: '2', attempt: '1', ephemeral: true };
const CREATED = '[cloud-access:octo-org/octo-repo:run:1:1:e]';
const RELIED = '[cloud-access:octo-org/octo-repo:run:2:1:r]';
const ME = '5b7d9f13-6a8c-4e2b-b4d6-f8a0c2e4a6b8';
const OTHER = '99999999-9999-4999-8999-999999999999';

describe('relianceWriteOf: a reliance is registered only on what a run made ephemeral', () => {
  it('appends the relying run’s marker after the others, the text kept', () => {
    expect(relianceWriteOf(`deploy ${CREATED}`, RUN_2)).toEqual({
      write: true,
      description: `deploy ${CREATED} ${RELIED}`,
      creator: { repository: 'octo-org/octo-repo', runId: '1', attempt: '1', ephemeral: true },
    });
    expect(relianceWriteOf(CREATED, { ...RUN_2, runId: '1', attempt: '2' })).toMatchObject({
      description: `${CREATED} [cloud-access:octo-org/octo-repo:run:1:2:r]`,
    });
  });

  it.each([
    ['no marker (a person’s grant, a permanent step’s)', 'granted by hand'],
    ['a reliance first', `${RELIED}`],
    ['an empty description', ''],
  ])('writes nothing on %s', (_, description) => {
    expect(relianceWriteOf(description, RUN_2)).toEqual({ write: false, note: expect.any(String) });
  });

  it('writes nothing when the run’s reliance is there already', () => {
    expect(relianceWriteOf(`${CREATED} ${RELIED}`, RUN_2)).toMatchObject({ write: false });
  });

  it('registers a job of the creating run itself (another job of a matrix): its post step must leave it too', () => {
    expect(relianceWriteOf(CREATED, { ...RUN_2, runId: '1' })).toMatchObject({
      write: true,
      description: `${CREATED} [cloud-access:octo-org/octo-repo:run:1:1:r]`,
    });
  });

  it('warns, with by how much to shorten, when the description would pass what ARM keeps', () => {
    const text = 'x'.repeat(2048 - CREATED.length - 1);
    const write = relianceWriteOf(`${text} ${CREATED}`, RUN_2);
    expect(write).toEqual({
      write: false,
      note: expect.any(String),
      warning: expect.stringContaining(`by ${RELIED.length + 1} characters or more`),
    });
  });
});

describe('relianceWriteOf: a relier with no room takes out only the markers of runs proven ended', () => {
  const relier = (run: string, more = '') => `[cloud-access:octo-org/octo-repo:run:${run}:1:r${more}]`;
  const tail = [CREATED, ...Array.from({ length: 35 }, (_, i) => relier(String(101 + i)))].join(' ');
  const text = 'x'.repeat(2048 - tail.length - 1);
  const full = `${text} ${tail}`;
  const ended = (runs: string[]) => (mark: { runId: string }) => runs.includes(mark.runId);
  const mark36 = { ...RUN_2, runId: '136' };

  it('takes out the proven ones, keeps the text, the creator and every other, and appends its own', () => {
    const write = relianceWriteOf(full, mark36, ended(['101', '103']));
    expect(write).toMatchObject({ write: true, removed: [{ runId: '101' }, { runId: '103' }] });
    const kept = tail.replace(` ${relier('101')}`, '').replace(` ${relier('103')}`, '');
    expect(write.write && write.description).toBe(`${text} ${kept} ${relier('136')}`);
  });

  it('never takes out the creating run’s marker, though it has ended', () => {
    const write = relianceWriteOf(full, mark36, () => true);
    expect(write.write && write.description).toBe(`${text} ${CREATED} ${relier('136')}`);
  });

  it('writes nothing while its marker fits, whatever has ended', () => {
    expect(relianceWriteOf(`deploy ${CREATED} ${relier('101')}`, mark36, () => true)).toEqual({
      write: true,
      description: `deploy ${CREATED} ${relier('101')} ${relier('136')}`,
      creator: expect.anything(),
    });
  });

  it('warns as before when none it holds is proven ended, and says why they are kept', () => {
    expect(relianceWriteOf(full, mark36, () => false)).toEqual({
      write: false,
      note: expect.any(String),
      warning: expect.stringContaining('a marker of a run not proven ended is kept'),
    });
  });
});

describe('soleOwnershipOf: the post step revokes only what nothing was added to', () => {
  const written = `deploy ${CREATED}`;

  it('holds what is as the step wrote it, last written by its identity', () => {
    expect(soleOwnershipOf(written, { description: written, updatedBy: ME }, ME)).toEqual({ alone: true });
    expect(soleOwnershipOf(written, { description: written, updatedBy: undefined }, ME)).toEqual({
      alone: true,
    });
  });

  it('leaves what runs rely on, naming them, for the sweep', () => {
    const now = `${written} ${RELIED} [cloud-access:octo-org/octo-repo:run:1:2:r]`;
    expect(soleOwnershipOf(written, { description: now, updatedBy: ME }, ME)).toEqual({
      alone: false,
      why: 'relied on by run 2 attempt 1, run 1 attempt 2: the sweep ends it once every run that relies on it has ended',
      sweepEndsIt: true,
    });
  });

  it('leaves for a person what another identity wrote, or a description changed otherwise', () => {
    expect(soleOwnershipOf(written, { description: written, updatedBy: OTHER }, ME)).toMatchObject({
      alone: false,
      why: expect.stringContaining(OTHER),
      sweepEndsIt: false,
    });
    for (const description of [`edited ${CREATED}`, 'deploy', `${written} x`, `deploy ${RELIED}`])
      expect(soleOwnershipOf(written, { description, updatedBy: ME }, ME)).toMatchObject({
        alone: false,
        sweepEndsIt: false,
      });
  });
});
