// The shape of a label in an access policy (`people[].github`, a rule's `who` and `approvers`). Pure.
import { printable } from '../inputs/fields.js';
import type { ManifestNodes } from './nodes.js';

/**
 * A label has a GitHub login's shape: letters, digits and hyphens, at most 39, or an app's
 * `name[bot]`. Anything else (a Cyrillic `а` in `cаrol`) would read as one person's label while
 * being another's.
 */
const LABEL = /^[A-Za-z0-9-]{1,39}(?:\[bot\])?$/;

/** Whether `label` lacks that shape; if so, says why at its line. */
export function labelProblem(
  nodes: ManifestNodes,
  label: { text: string; line: number },
  path: string,
): boolean {
  if (LABEL.test(label.text)) return false;
  const odd = [...label.text.replace(/\[bot\]$/, '')].find((c) => !/[A-Za-z0-9-]/.test(c));
  const code =
    odd && odd.codePointAt(0)! > 0x7e
      ? ` (it holds U+${odd.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`
      : '';
  nodes.add(
    label.line,
    `\`${path}\` \`${printable(label.text)}\` does not have a GitHub login's shape${code}`,
    'write the GitHub login: letters, digits and hyphens, at most 39 (an app: `name[bot]`)',
  );
  return true;
}
