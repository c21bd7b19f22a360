import { describe, expect, it } from '@jest/globals';
import { manifestPathProblem } from '../../../src/core/inputs/manifest-input.js';
import { carriesMarker, manifestMarkerOf, markerSuffix } from '../../../src/core/state/manifest-marker.js';
import { azureRunMarkOf } from '../../../src/core/run-marks.js';

const REPO = 'octo-org/octo-repo';

describe('a manifest path is written one way only, so that its marker names it alone', () => {
  it.each([
    ['access\\prod.yml', /holds `\\`/],
    ['access/prod.yml)old.yml', /holds `\)`/],
    ['access/(prod).yml', /holds `\(`/],
    ['access/[prod].yml', /holds `\[`/],
    ['access/prod.yml]x.yml', /holds `\]`/],
    ['access/run:1:1:e.yml', /holds `:`/],
    ['access/prod .yml', /spaces/],
    ['access/prod\t.yml', /spaces or control/],
    ['access/\u200bprod.yml', /control characters/],
    ['access//prod.yml', /empty or `\.` segment/],
    ['access/./prod.yml', /empty or `\.` segment/],
    ['././prod.yml', /empty or `\.` segment/],
    ['access/prod.yml/', /empty or `\.` segment|is not a/],
    ['zugänge/prod.yml', /holds `ä`/],
    ['access/prod.yml#x.yml', /holds `#`/],
  ])('`%s` is refused', (path, reason) => {
    expect(manifestPathProblem(path)).toMatch(reason);
  });

  it.each(['access/prod.yml', './access/prod.yml', 'access.json', 'a-b_c.d/e.YAML'])(
    '`%s` is a manifest path',
    (path) => {
      expect(manifestPathProblem(path)).toBeUndefined();
    },
  );

  it('the marker is the repository and the path, less a leading `./`', () => {
    expect(manifestMarkerOf(REPO, './access/prod.yml')).toBe(`cloud-access:${REPO}:access/prod.yml`);
    expect(manifestMarkerOf(REPO, 'access/prod.yml')).toBe(`cloud-access:${REPO}:access/prod.yml`);
  });

  it('never makes a marker of a path that reads two ways, nor without the repository', () => {
    expect(() => manifestMarkerOf(REPO, 'access\\prod.yml')).toThrow(/manifest path holds/);
    expect(() => manifestMarkerOf(undefined, 'access/prod.yml')).toThrow(/GITHUB_REPOSITORY/);
  });
});

describe('a description carries a marker only when it ends with exactly that marker in brackets', () => {
  const prod = manifestMarkerOf(REPO, 'access/prod.yml');

  it('carries its own marker, as a create writes it, with text before and white space after', () => {
    expect(carriesMarker(markerSuffix(prod), prod)).toBe(true);
    expect(carriesMarker(`Managed by cloud-access from a manifest ${markerSuffix(prod)}`, prod)).toBe(true);
    expect(carriesMarker(`readers ${markerSuffix(prod)}  \n`, prod)).toBe(true);
  });

  it.each([
    // Another path that starts like this one: brackets, parentheses and spaces are not boundaries.
    `[cloud-access:${REPO}:access/prod.yml)old.yml]`,
    `[cloud-access:${REPO}:access/prod.yml]old.yml]`,
    `[cloud-access:${REPO}:access/prod.yml(old)]`,
    `[cloud-access:${REPO}:access/prod.yml old.yml]`,
    `[cloud-access:${REPO}:access/prod.yml.bak]`,
    `[cloud-access:${REPO}:access/prod.yml\\old.yml]`,
    // The marker not in brackets, or not at the end.
    `(cloud-access:${REPO}:access/prod.yml)`,
    `cloud-access:${REPO}:access/prod.yml`,
    `[cloud-access:${REPO}:access/prod.yml] later text`,
    `[cloud-access:${REPO}:access/prod.yml] [cloud-access:${REPO}:access/other.yml]`,
    // Another repository, or one whose name ends like ours.
    `[cloud-access:octo-org/octo-repo2:access/prod.yml]`,
    `[cloud-access:xocto-org/octo-repo:access/prod.yml]`,
    // Another case.
    `[cloud-access:${REPO}:Access/prod.yml]`,
  ])('does not carry it: %s', (description) => {
    expect(carriesMarker(description, prod)).toBe(false);
  });

  it("no accepted path's marker reads as a run's marker, nor a run's marker as a manifest's", () => {
    for (const path of ['run.yml', 'run/1/1/e.yml', 'access/run-1-1-e.yml']) {
      expect(manifestPathProblem(path)).toBeUndefined();
      const marker = manifestMarkerOf(REPO, path);
      expect(azureRunMarkOf(markerSuffix(marker))).toBeUndefined();
    }
    const run = `[cloud-access:${REPO}:run:12:1:e]`;
    expect(azureRunMarkOf(run)).toBeDefined();
    // The only path whose marker this would be holds `:`, which no manifest path may.
    expect(manifestPathProblem('run:12:1:e')).toMatch(/holds `:`/);
  });

  it("of two accepted paths, neither's assignments carry the other's marker", () => {
    const paths = [
      'access/prod.yml',
      'access/prod.yml.yml',
      'access/prod.yaml',
      'access/prod/x.yml',
      'access.yml',
    ];
    for (const a of paths)
      for (const b of paths)
        expect([
          a,
          b,
          carriesMarker(`x ${markerSuffix(manifestMarkerOf(REPO, a))}`, manifestMarkerOf(REPO, b)),
        ]).toEqual([a, b, a === b]);
  });
});
