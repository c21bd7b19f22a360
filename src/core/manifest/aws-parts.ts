// The parts of a manifest's `aws` section that kinds beside the assignments define under keys of
// their own, registered by each kind (aws/kinds.ts registerAwsSection) and parsed by the section
// (./aws.ts). Kept apart from the section's parser so a step that registers kinds but reads no
// manifest (an assign) loads no YAML parser. Pure.
import type { Field, ManifestNodes } from './nodes.js';

/**
 * A part of the `aws` section that a kind beside the assignments defines under a key of its own
 * (`aws.<key>`), with its parser: what the kind's section (aws/kinds.ts AwsSection) reads of the
 * manifest, as `parts[key]`.
 */
export interface AwsManifestPart<V = unknown> {
  key: string;
  /** Its value as parsed, its problems told to `nodes` at their lines; `path`: `aws.<key>`. */
  parse(nodes: ManifestNodes, field: Field, path: string): V;
}

/** The section's own keys. */
const AWS_KEYS: readonly string[] = [
  'instance-arn',
  'manages',
  'assignments',
  'permission-sets',
  'must-not-grant',
];

/** The parts kinds registered, by key (registerAwsManifestPart). */
const PARTS = new Map<string, AwsManifestPart>();

/**
 * Adds a key the `aws` section may hold, and its parser. A key already the section's or another
 * part's is refused: two kinds never read one key.
 */
export function registerAwsManifestPart(part: AwsManifestPart): void {
  if (AWS_KEYS.includes(part.key) || (PARTS.has(part.key) && PARTS.get(part.key) !== part))
    throw new Error(`the \`aws\` section already has a key \`${part.key}\``);
  PARTS.set(part.key, part);
}

/** The keys the `aws` section may hold: its own, then each registered part's. */
export const awsKeys = (): string[] => [...AWS_KEYS, ...PARTS.keys()];

/** Each registered part the section holds, parsed, by key; none held, undefined. */
export function partsOf(
  nodes: ManifestNodes,
  fields: ReadonlyMap<string, Field>,
): Record<string, unknown> | undefined {
  const held = [...PARTS.values()].flatMap((part) => {
    const field = fields.get(part.key);
    return field ? [[part.key, part.parse(nodes, field, `aws.${part.key}`)] as const] : [];
  });
  return held.length > 0 ? Object.fromEntries(held) : undefined;
}
