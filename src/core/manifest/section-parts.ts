// The parts of a cloud's manifest section that kinds beside its assignments define under keys of
// their own (`aws.<key>`, `azure.<key>`): each cloud's section keeps one list of them
// (./aws-parts.ts, ./azure-parts.ts), which its parser reads (./aws.ts, ./azure.ts); and each
// cloud's list of those kinds' sections (kindSections: aws/kinds.ts AWS_SECTIONS,
// azure/kind/section.ts AZURE_SECTIONS), which a kind joins with one call that registers its kind
// of access and its key. Kept apart from the parsers so a step that registers kinds but reads no
// manifest (an assign) loads no YAML parser. Pure.
import { registerKind, type AccessKind, type KindShape } from '../kinds/index.js';
import type { Field, ManifestNodes } from './nodes.js';

/**
 * A part of a cloud's section that a kind beside the assignments defines under a key of its own
 * (`<section>.<key>`), with its parser: what the kind reads of the manifest, as `parts[key]`.
 */
export interface ManifestPart<V = unknown> {
  key: string;
  /** Its value as parsed, its problems told to `nodes` at their lines; `path`: `<section>.<key>`. */
  parse(nodes: ManifestNodes, field: Field, path: string): V;
}

/** One section's parts: registered by key, listed after the section's own keys, and parsed. */
export interface SectionParts {
  /**
   * Adds a key the section may hold, and its parser. A key already the section's or another
   * part's is refused: two kinds never read one key.
   */
  register(part: ManifestPart): void;
  /** The keys the section may hold: its own, then each registered part's. A key outside them is refused. */
  keys(): string[];
  /** Each registered part the section holds, parsed, by key; none held, undefined. */
  partsOf(nodes: ManifestNodes, fields: ReadonlyMap<string, Field>): Record<string, unknown> | undefined;
}

/** The parts of the section `section` (`aws`, `azure`), whose own keys are `own`. */
export function sectionParts(section: string, own: readonly string[]): SectionParts {
  const parts = new Map<string, ManifestPart>();
  return {
    register(part) {
      if (own.includes(part.key) || (parts.has(part.key) && parts.get(part.key) !== part))
        throw new Error(`the \`${section}\` section already has a key \`${part.key}\``);
      parts.set(part.key, part);
    },
    keys: () => [...own, ...parts.keys()],
    partsOf(nodes, fields) {
      const held = [...parts.values()].flatMap((part) => {
        const field = fields.get(part.key);
        return field ? [[part.key, part.parse(nodes, field, `${section}.${part.key}`)] as const] : [];
      });
      return held.length > 0 ? Object.fromEntries(held) : undefined;
    },
  };
}

/** What a kind's section brings to its cloud's list: its kind of access, its key of the manifest's section. */
export interface SectionOfKind {
  /** Its kind of access, registered with it when the core's list does not hold it (../kinds/index.ts registerKind). */
  kind?: AccessKind<KindShape>;
  /** Its key of the cloud's section and its parser, when it has one of its own. */
  manifest?: ManifestPart;
}

/**
 * A cloud's list of kinds' sections (`S`), whose keys are `parts`', starting with `first`: the list
 * every operation loops over, and the one call (`register`) that adds a section to it with its
 * kind of access and its key, so no operation learns its name.
 */
export function kindSections<S extends SectionOfKind>(parts: SectionParts, first: readonly S[] = []) {
  const list: S[] = [];
  const register = <T extends S>(section: T): T => {
    if (section.kind) registerKind(section.kind);
    if (section.manifest) parts.register(section.manifest);
    if (!list.includes(section)) list.push(section);
    return section;
  };
  for (const section of first) register(section);
  return { list: list as readonly S[], register };
}
