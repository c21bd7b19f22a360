// Grants named in a warning or a notice: each as written, and a few of many. Pure.
import type { WrittenGrant } from '../types.js';

/** A grant as its inputs wrote it, in one line. */
export const grantName = (g: WrittenGrant) => `${g.principal} → ${g.target} / ${g.role}`;

/** The first three items named, and how many more: a warning names examples, not a list. */
export function fewNamed<T>(items: T[], name: (item: T) => string): string {
  const more = items.length > 3 ? ` and ${items.length - 3} more` : '';
  return `${items.slice(0, 3).map(name).join('; ')}${more}`;
}
