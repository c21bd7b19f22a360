// docs/review.md's table of the reviewers file's keys is held to the parser
// (src/operations/review/model/reviewers-file.ts): it names every key the parser reads and no other, with
// where it stands, the `due` examples it gives are ones the parser takes (and `0d` one it
// refuses), and the pinned login and the `campaigns` example it shows parse as it says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  CAMPAIGN_KEYS,
  ENTRY_KEYS,
  parseReviewersFile,
  TOP_KEYS,
} from '../../src/operations/review/model/reviewers-file.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'review.md'), 'utf8');

/** The table's rows: key → where it stands. */
function rows(): Map<string, string> {
  const table = doc.slice(doc.indexOf('| key '));
  const found = new Map<string, string>();
  for (const line of table.split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    const [, key, where] = line.split('|').map((cell) => cell.trim());
    found.set(key!.replace(/`/g, ''), where!.replace(/`/g, ''));
  }
  return found;
}

const parsed = (source: string) => parseReviewersFile(source);

describe('docs/review.md’s reviewers-file keys', () => {
  it('names every key the parser reads, and no other, where it stands', () => {
    const table = rows();
    const wanted = new Map<string, string>([
      ...TOP_KEYS.map((k) => [k, 'top'] as const),
      ...CAMPAIGN_KEYS.map((k) => [k, 'campaigns.<name>'] as const),
      ...ENTRY_KEYS.map((k) => [k, 'entry'] as const),
    ]);
    expect([...table.keys()].sort()).toEqual([...wanted.keys()].sort());
    for (const [key, where] of wanted)
      expect(table.get(key)).toMatch(new RegExp(`^${where.replace(/[.<>]/g, '\\$&')}`));
  });

  it('gives `due` examples the parser takes, and refuses `0d`', () => {
    const examples = /`due` examples: ([^\n]+)/.exec(doc)![1]!;
    const taken = [...examples.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((d) => d !== '0d');
    expect(taken.length).toBeGreaterThanOrEqual(4);
    for (const due of taken)
      expect(parsed(`version: 1\ndefault-reviewers: [alice]\ndue: ${due}\n`)).toHaveProperty('file');
    expect(examples).toContain('`0d` is refused');
    expect(parsed('version: 1\ndefault-reviewers: [alice]\ndue: 0d\n')).not.toHaveProperty('file');
  });

  it('takes a pinned login and a named campaign’s start as the table shows them', () => {
    const file = parsed(
      "version: 1\nentries:\n  - accounts: ['111111111111']\n    reviewers: [alice (583231)]\ncampaigns: {drill: {start: 2026-12-01}}\nself-review: true\n",
    );
    expect(file).toHaveProperty('file');
    expect(file).toMatchObject({
      file: { entries: [{ reviewers: [{ login: 'alice', id: 583231 }] }], selfReview: true },
    });
    if (!('file' in file)) throw new Error('refused');
    const read = file.file;
    expect(read.campaignStarts?.get('drill')).toBe('2026-12-01T00:00:00.000Z');
  });
});
