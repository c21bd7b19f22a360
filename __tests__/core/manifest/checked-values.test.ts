// How a section reads the values its own checker judges: each problem at the line a user fixes,
// naming the manifest path, with nothing taken twice and nothing read as other than written.
import { describe, expect, it } from '@jest/globals';
import { isMap, type Node } from 'yaml';
import { checkedAt, keptOnce, nameWithPath, textPairs } from '../../../src/core/manifest/checked-values.js';
import { ManifestNodes, type Field } from '../../../src/core/manifest/nodes.js';

/** The document's `key:` field, as a section's parser is given it. */
function fieldOf(text: string, key = 'value'): { nodes: ManifestNodes; field: Field } {
  const nodes = new ManifestNodes(text);
  const top = nodes.parse();
  if (!isMap(top)) throw new Error('expected a mapping');
  const field = nodes.mapping(top as Node, '', [key], 1).get(key);
  if (!field) throw new Error(`no ${key}`);
  return { nodes, field };
}

describe('the values a section checks, read at their lines', () => {
  it('takes a checked value as it is, and puts a wrong one at its line with the path and the fix', () => {
    const nodes = new ManifestNodes('');
    expect(checkedAt(nodes, { ok: true, value: 42 }, 3, 'a.b')).toBe(42);
    expect(
      checkedAt(nodes, { ok: false, message: 'is too long', fix: 'shorten it' }, 7, 'a.c'),
    ).toBeUndefined();
    expect(nodes.problems).toEqual([{ line: 7, message: '`a.c`: is too long', fix: 'shorten it' }]);
  });

  it('keeps a list’s items once each, in order, a repeat a problem at its own line; no item is passed over', () => {
    const nodes = new ManifestNodes('');
    const items = keptOnce<string>(nodes, (item) => item.toLowerCase());
    items.keep('Alpha', 2, 'list');
    items.keep(undefined, 3, 'list');
    items.keep('beta', 4, 'list');
    items.keep('ALPHA', 5, 'list');
    expect(items.kept()).toEqual(['Alpha', 'beta']);
    expect(nodes.problems).toEqual([{ line: 5, message: '`list`: `alpha` is listed twice' }]);
  });

  it('reads a mapping’s values as written, an empty one as empty, and refuses what is not a mapping', () => {
    const pairs = fieldOf('value:\n  team: platform\n  cost: 0123\n  empty: ""\n  none:\n');
    expect(textPairs(pairs.nodes, pairs.field, 'tags', 'tag keys')).toEqual([
      ['team', 'platform'],
      ['cost', '0123'],
      ['empty', ''],
      ['none', ''],
    ]);
    expect(pairs.nodes.problems).toEqual([]);
    const list = fieldOf('value: [a, b]');
    expect(textPairs(list.nodes, list.field, 'tags', 'tag keys')).toBeUndefined();
    expect(list.nodes.problems).toEqual([
      { line: 1, message: '`tags` must be a mapping of tag keys to values' },
    ]);
  });

  it('reads a name alone or with its path, and refuses a mapping without a name', () => {
    const alone = fieldOf('value: audit');
    expect(nameWithPath(alone.nodes, alone.field.node, 'ref', 1)).toEqual({
      name: { text: 'audit', line: 1 },
    });
    const withPath = fieldOf('value:\n  name: deny\n  path: /guard/\n');
    expect(nameWithPath(withPath.nodes, withPath.field.node, 'ref', 1)).toEqual({
      name: { text: 'deny', line: 2 },
      path: '/guard/',
    });
    const nameless = fieldOf('value:\n  path: /guard/\n');
    expect(nameWithPath(nameless.nodes, nameless.field.node, 'ref', 2)).toBeUndefined();
    expect(nameless.nodes.problems).toEqual([{ line: 2, message: '`ref` has no `name`' }]);
  });
});
