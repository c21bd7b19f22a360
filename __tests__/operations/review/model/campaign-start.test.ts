import { describe, expect, it } from '@jest/globals';
import { CloudAccessError } from '../../../../src/core/errors.js';
import {
  quarterOf,
  runRefOf,
  startSource,
  workflowOf,
} from '../../../../src/operations/review/model/campaign-start.js';

const REF = 'octo-org/octo-repo/.github/workflows/review.yml@refs/heads/main';
const base = {
  fileStart: undefined,
  inputStart: undefined,
  workflowRef: REF,
  repository: 'octo-org/octo-repo',
};

describe("a quarter's campaign", () => {
  it('spans its three months, in UTC', () => {
    expect(quarterOf('2026-Q4')).toEqual({
      from: '2026-10-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
    });
    expect(quarterOf('drill')).toBeUndefined();
  });
});

describe("the run's workflow and ref", () => {
  it("reads this repository's workflow, and no other repository's", () => {
    expect(workflowOf(REF, 'Octo-Org/Octo-Repo')).toEqual({ file: 'review.yml', ref: 'refs/heads/main' });
    expect(
      workflowOf('evil/repo/.github/workflows/review.yml@refs/heads/main', 'octo-org/octo-repo'),
    ).toBeUndefined();
  });

  it("takes the workflow's own ref before GITHUB_REF", () => {
    expect(runRefOf(REF, 'refs/heads/feature', 'octo-org/octo-repo')).toBe('refs/heads/main');
    expect(runRefOf(undefined, 'refs/heads/feature', 'octo-org/octo-repo')).toBe('refs/heads/feature');
    expect(runRefOf(undefined, '', 'octo-org/octo-repo')).toBeUndefined();
  });
});

describe("where a campaign's start comes from", () => {
  it('is the reviewers file or the input, which must agree', () => {
    expect(startSource({ ...base, campaign: 'drill', fileStart: '2026-12-01' })).toEqual({
      at: '2026-12-01',
      given: '`campaigns.drill.start` in the reviewers file',
    });
    expect(startSource({ ...base, campaign: 'drill', inputStart: '2026-12-01' })).toMatchObject({
      given: 'input `campaign-start`',
    });
    const both = startSource({
      ...base,
      campaign: 'drill',
      fileStart: '2026-12-01',
      inputStart: '2026-12-02',
    });
    expect(both).toBeInstanceOf(CloudAccessError);
  });

  it("is a quarter's workflow's first run, when none is given", () => {
    expect(startSource({ ...base, campaign: '2026-Q4' })).toEqual({
      workflow: 'review.yml',
      period: { from: '2026-10-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' },
    });
  });

  it('is an error naming the input when a named campaign has none, or the run names no workflow', () => {
    expect(startSource({ ...base, campaign: 'drill' })).toMatchObject({
      message: expect.stringMatching(/has no start/),
    });
    const unknown = startSource({ ...base, campaign: '2026-Q4', workflowRef: undefined });
    expect(unknown).toBeInstanceOf(CloudAccessError);
    expect((unknown as CloudAccessError).message).toMatch(/GITHUB_WORKFLOW_REF/);
  });
});
