// How deep a snapshot's JSON nests, found before any of it is parsed, however its bytes are cut.
import { describe, expect, it } from '@jest/globals';
import { nestingScan, SNAPSHOT_MAX_DEPTH } from '../../../src/core/snapshot/nesting.js';

const fits = (text: string, limit?: number, cut = 3) => {
  const scan = nestingScan(limit);
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; at += cut) if (!scan.feed(bytes.subarray(at, at + cut))) return false;
  return true;
};

describe('the nesting of a snapshot’s JSON', () => {
  it('lets through what the format writes', () => {
    const snapshot = {
      format: 1,
      places: { 'a|b': [{ principalType: 'USER', principalId: 'x' }] },
      groups: { g: { u: 'm' } },
    };
    expect(fits(JSON.stringify(snapshot))).toBe(true);
    expect(fits('['.repeat(SNAPSHOT_MAX_DEPTH) + ']'.repeat(SNAPSHOT_MAX_DEPTH))).toBe(true);
  });

  it('stops at the first level deeper than the limit', () => {
    expect(fits('['.repeat(SNAPSHOT_MAX_DEPTH + 1))).toBe(false);
    expect(fits(`{"a":${'{"b":'.repeat(3)}1}}}}`, 3)).toBe(false);
  });

  it('counts no bracket inside a string, escaped quotes and multi-byte characters included', () => {
    expect(fits(JSON.stringify({ name: '[[[[{{{{ \\" é 🙂 [[[[' }), 1, 1)).toBe(true);
    expect(fits(JSON.stringify({ name: 'a"b' }) + '[[', 1, 1)).toBe(false);
  });
});
