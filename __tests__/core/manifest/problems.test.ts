// A manifest's value looked up in the cloud (src/core/manifest/problems.ts lookedUpAt): the cloud's
// refusal is a problem at the value's line, naming its key path and the fix; anything else is the step's.
import { describe, expect, it } from '@jest/globals';
import { CloudAccessError } from '../../../src/core/errors.js';
import { lookedUpAt, type ManifestProblem } from '../../../src/core/manifest/problems.js';

describe("a manifest's value looked up in the cloud", () => {
  it('is what the cloud found, with no problem', async () => {
    const problems: ManifestProblem[] = [];
    expect(await lookedUpAt({ line: 4, path: 'azure[0].role' }, problems, async () => 'found')).toBe('found');
    expect(problems).toEqual([]);
  });

  it("is undefined where the cloud refuses it, and the refusal is a problem at the value's line with its fix", async () => {
    const problems: ManifestProblem[] = [];
    const refused = await lookedUpAt({ line: 7, path: 'azure[1].role' }, problems, () =>
      Promise.reject(new CloudAccessError('role `Readerr` was not found', { fix: 'check the name' })),
    );
    expect(refused).toBeUndefined();
    expect(problems).toEqual([
      { line: 7, message: '`azure[1].role`: role `Readerr` was not found', fix: 'check the name' },
    ]);
  });

  it('fails the step on any other failure (the cloud not reached is no problem of the file)', async () => {
    const problems: ManifestProblem[] = [];
    await expect(
      lookedUpAt({ line: 2, path: 'aws[0].permission-set' }, problems, () =>
        Promise.reject(new Error('socket hang up')),
      ),
    ).rejects.toThrow('socket hang up');
    expect(problems).toEqual([]);
  });
});
