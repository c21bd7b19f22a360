import { describe, expect, it } from '@jest/globals';
import {
  markerText,
  readMarker,
  sameIssue,
  type Marker,
} from '../../../../src/operations/review/model/marker.js';

const marker: Marker = {
  campaign: '2026-Q3',
  cloud: 'aws',
  key: '0123456789ab',
  reviewers: [
    { login: 'alice', id: 101 },
    { login: 'bob-2', id: 102 },
  ],
  teams: ['acme/sec'],
  part: 1,
};

describe("a campaign issue's hidden marker", () => {
  it('is an HTML comment naming the campaign, cloud, reviewer set and its logins with their account IDs', () => {
    expect(markerText(marker)).toBe(
      '<!-- cloud-access-review campaign=2026-Q3 cloud=aws key=0123456789ab reviewers=alice:101,bob-2:102 teams=acme/sec part=1 -->',
    );
  });

  it('reads back what it wrote, at the start of a body', () => {
    expect(readMarker(`${markerText(marker)}\n\n### Access review`)).toEqual(marker);
    const noTeams = { ...marker, teams: [], part: 3 };
    expect(readMarker(markerText(noTeams))).toEqual(noTeams);
  });

  it('reads no marker that is not at the very start (a name in the table that looks like one is text)', () => {
    expect(readMarker(`text\n${markerText(marker)}`)).toBeUndefined();
    expect(readMarker(` ${markerText(marker)}`)).toBeUndefined();
    expect(readMarker(null)).toBeUndefined();
  });

  it.each([
    ['a bad campaign', markerText(marker).replace('2026-Q3', 'a/b')],
    ['another cloud', markerText(marker).replace('cloud=aws', 'cloud=gcp')],
    ['a short key', markerText(marker).replace('0123456789ab', '0123')],
    ['a reviewer without an ID', markerText(marker).replace('alice:101', 'alice')],
    ['a reviewer ID that is not a number', markerText(marker).replace('alice:101', 'alice:1e3')],
    ['a team that is a login', markerText(marker).replace('acme/sec', 'acme')],
    ['part 0', markerText(marker).replace('part=1', 'part=0')],
    ['a field twice', markerText(marker).replace('part=1', 'part=1 part=2')],
  ])('refuses a marker with %s', (_, body) => {
    expect(readMarker(body)).toBeUndefined();
  });

  it('tells the same issue by campaign, cloud and key', () => {
    expect(sameIssue(marker, { campaign: '2026-Q3', cloud: 'aws', key: '0123456789ab' })).toBe(true);
    expect(sameIssue(marker, { campaign: '2026-Q3', cloud: 'azure', key: '0123456789ab' })).toBe(false);
    expect(sameIssue(marker, { campaign: '2026-Q4', cloud: 'aws', key: '0123456789ab' })).toBe(false);
    expect(sameIssue(undefined, marker)).toBe(false);
  });
});
