// The hidden marker that opens a campaign issue's body and each of its continuation comments:
// `<!-- cloud-access-review campaign=<campaign> cloud=<cloud> key=<hash of the reviewer set>
// reviewers=<login>:<account ID>,… teams=<org/team>,… part=<n> -->`. A re-run finds its issue by
// it (one issue per campaign, cloud and reviewer set), and reads back the account ID each reviewer
// login had when the campaign started: a later owner of the login is not the reviewer. Only a
// marker at the very start of a body is read: a name in the table that looks like one is text.
// Pure.
import type { Cloud } from '../../../core/types.js';
import { campaignProblem } from './outcomes.js';
import { parseReviewer } from './reviewers.js';

export const MARKER_NAME = 'cloud-access-review';
const MARKED_CLOUDS: readonly string[] = ['aws', 'azure'];

export interface Marker {
  campaign: string;
  cloud: Cloud;
  /** The reviewer set's key (./reviewers.ts's `reviewerSetKey`). */
  key: string;
  /** Each reviewer login with the account ID it had when the campaign started. */
  reviewers: { login: string; id: number }[];
  /** The `org/team` reviewers, whose members are read at each run. */
  teams: string[];
  /** 1: the issue's body; 2 and on: its continuation comments, in order. */
  part: number;
}

export function markerText(marker: Marker): string {
  const fields = [
    `campaign=${marker.campaign}`,
    `cloud=${marker.cloud}`,
    `key=${marker.key}`,
    `reviewers=${marker.reviewers.map((r) => `${r.login}:${r.id}`).join(',')}`,
    `teams=${marker.teams.join(',')}`,
    `part=${marker.part}`,
  ];
  return `<!-- ${MARKER_NAME} ${fields.join(' ')} -->`;
}

const OPENING = new RegExp(`^<!-- ${MARKER_NAME} ([^\\n]*?) -->`);

/** The marker a body starts with, or undefined (none, or one this action did not write). */
export function readMarker(body: string | null | undefined): Marker | undefined {
  const match = OPENING.exec(body ?? '');
  if (!match) return undefined;
  const fields = new Map<string, string>();
  for (const pair of match[1]!.split(' ')) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || fields.has(pair.slice(0, eq))) return undefined;
    fields.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const campaign = fields.get('campaign') ?? '';
  const cloud = fields.get('cloud') as Cloud;
  const key = fields.get('key') ?? '';
  const part = Number(fields.get('part'));
  const reviewers = listOf(fields.get('reviewers')).map(loginWithId);
  const teams = listOf(fields.get('teams'));
  if (campaignProblem(campaign) || !MARKED_CLOUDS.includes(cloud) || !/^[0-9a-f]{12}$/.test(key))
    return undefined;
  if (!Number.isSafeInteger(part) || part < 1 || reviewers.some((r) => r === undefined)) return undefined;
  if (
    teams.some((t) => {
      const r = parseReviewer(t);
      return typeof r === 'string' || !('team' in r);
    })
  )
    return undefined;
  return { campaign, cloud, key, reviewers: reviewers as Marker['reviewers'], teams, part };
}

const listOf = (text: string | undefined): string[] => (text ? text.split(',') : []);

function loginWithId(text: string): { login: string; id: number } | undefined {
  const [login, id] = text.split(':');
  const reviewer = parseReviewer(login ?? '');
  const n = Number(id);
  if (
    typeof reviewer === 'string' ||
    !('login' in reviewer) ||
    !/^\d+$/.test(id ?? '') ||
    !Number.isSafeInteger(n)
  )
    return undefined;
  return { login: reviewer.login, id: n };
}

/** Whether a body is a part of the campaign issue `wanted` names (campaign, cloud and key). */
export const sameIssue = (
  found: Marker | undefined,
  wanted: Pick<Marker, 'campaign' | 'cloud' | 'key'>,
): boolean =>
  !!found && found.campaign === wanted.campaign && found.cloud === wanted.cloud && found.key === wanted.key;
