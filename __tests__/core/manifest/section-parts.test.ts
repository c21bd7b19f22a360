// The parts of a cloud's manifest section that kinds register under keys of their own, and the
// list of kinds' sections that registers them: a registered key is parsed into `parts`, a key no
// kind registered is still refused with "did you mean", and one call adds a section, its kind of
// access and its key. Over a section list of its own (kindSections), so no real list changes.
import { describe, expect, it } from '@jest/globals';
import { kindNamed, type AccessKind, type KindShape } from '../../../src/core/kinds/index.js';
import { ManifestNodes } from '../../../src/core/manifest/nodes.js';
import { kindSections, sectionParts } from '../../../src/core/manifest/section-parts.js';

/** The `test` section's fields of `yaml`, read as its parser reads them, with the problems told. */
function read(yaml: string, keys: () => string[]) {
  const nodes = new ManifestNodes(yaml);
  const top = nodes.parse();
  const fields = nodes.mapping(top ?? null, 'test', keys(), 1);
  return { nodes, fields };
}

const PROBE = 'test-section-parts-probe';
const kind = { kind: PROBE, cloud: 'azure' } as unknown as AccessKind<KindShape>;

describe('a section’s parts and the list of kinds’ sections', () => {
  it('one call adds a section with its kind of access and its key, which the section then parses', () => {
    const parts = sectionParts('test', ['manages']);
    const sections = kindSections<{
      kind?: AccessKind<KindShape>;
      manifest?: { key: string; parse: () => unknown };
    }>(parts);
    const section = sections.register({ kind, manifest: { key: 'notes', parse: () => ['parsed'] } });
    expect(sections.list).toEqual([section]);
    expect(kindNamed(PROBE)).toBe(kind);
    expect(parts.keys()).toEqual(['manages', 'notes']);
    const { nodes, fields } = read('manages: {}\nnotes: [a]\n', () => parts.keys());
    expect(parts.partsOf(nodes, fields)).toEqual({ notes: ['parsed'] });
    expect(nodes.problems).toEqual([]);
  });

  it('a key no kind registered is refused, with the nearest one and the keys there', () => {
    const parts = sectionParts('test', ['manages']);
    parts.register({ key: 'notes', parse: () => [] });
    const { nodes, fields } = read('manages: {}\nnote: [a]\n', () => parts.keys());
    expect(parts.partsOf(nodes, fields)).toBeUndefined();
    expect(nodes.problems).toEqual([
      expect.objectContaining({
        line: 2,
        message: '`test` has the unknown key `note`',
        fix: 'did you mean `notes`? the keys there are `manages`, `notes`',
      }),
    ]);
  });

  it('refuses a key the section has, or another part took', () => {
    const parts = sectionParts('test', ['manages']);
    parts.register({ key: 'notes', parse: () => [] });
    expect(() => parts.register({ key: 'manages', parse: () => [] })).toThrow(
      'the `test` section already has a key `manages`',
    );
    expect(() => parts.register({ key: 'notes', parse: () => [] })).toThrow(
      'the `test` section already has a key `notes`',
    );
  });
});
