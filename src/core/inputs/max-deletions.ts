// `max-deletions`, which reconcile and sweep share: how many deletes one run may make.
import { printable, type InputReader, type Problems } from './fields.js';

export const DEFAULT_MAX_DELETIONS = 10;
const MAX_DELETIONS_LIMIT = 100_000;

/** `max-deletions`, which reconcile and sweep share: 0 to MAX_DELETIONS_LIMIT, default 10. */
export function maxDeletions(problems: Problems, read: InputReader): number {
  const text = read('max-deletions').trim();
  if (text === '') return DEFAULT_MAX_DELETIONS;
  if (!/^\d+$/.test(text) || Number(text) > MAX_DELETIONS_LIMIT) {
    problems.add(
      'max-deletions',
      `\`${printable(text)}\` is not a whole number from 0 to ${MAX_DELETIONS_LIMIT}`,
    );
    return DEFAULT_MAX_DELETIONS;
  }
  return Number(text);
}
