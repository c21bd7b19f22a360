// Expanding the principal, target and role lists into grants, after checking the batch's size.
import type { WrittenGrant } from '../types.js';
import { kindOf } from '../kinds/index.js';
import { unique } from '../lists.js';
import type { Problems } from './fields.js';

/**
 * The kind of an AWS step's grants: the one kind AWS has of `active`, which takes a `duration` or
 * none (core/kinds/).
 */
export const AWS_GRANT_KIND = kindOf('aws', 'active', false);

const MAX_GRANTS = 1000;

/** The `principal`, `target` and `role` inputs as lists of the values written. */
export interface ListInputs {
  principals: string[];
  targets: string[];
  roles: string[];
}

/** A list value as written (the key duplicates are dropped by) and as parsed. */
export interface Parsed<T> {
  written: string;
  value: T;
}

export interface ParsedLists<P, T, R> {
  principals: Parsed<P>[];
  targets: Parsed<T>[];
  roles: Parsed<R>[];
}

const distinct = <T>(values: Parsed<T>[]) => unique(values, (v) => v.written);

/**
 * Refuses a batch over MAX_GRANTS from the list lengths alone: a few kilobytes of input can
 * describe billions of grants, which must be refused before a single one is built.
 */
export function withinBatchSize(
  problems: Problems,
  input: string,
  lists: { name: string; length: number }[],
): boolean {
  const count = lists.reduce((product, list) => product * list.length, 1);
  if (count <= MAX_GRANTS) return true;
  problems.add(
    input,
    `${lists.map((l) => l.name).join(' × ')} is ${lists.map((l) => l.length).join(' × ')} = ${count} grants; at most ${MAX_GRANTS} fit in one step`,
    'split the lists over several steps',
  );
  return false;
}

/** Every principal × target × role, duplicates dropped. */
export function crossProduct<P, T, R, G>(
  problems: Problems,
  lists: ParsedLists<P, T, R>,
  build: (written: WrittenGrant, principal: P, target: T, role: R) => G,
): G[] {
  const principals = distinct(lists.principals);
  const targets = distinct(lists.targets);
  const roles = distinct(lists.roles);
  const sizes = [
    { name: 'principal', length: principals.length },
    { name: 'target', length: targets.length },
    { name: 'role', length: roles.length },
  ];
  if (!withinBatchSize(problems, 'principal', sizes)) return [];
  return principals.flatMap((p) =>
    targets.flatMap((t) =>
      roles.map((r) =>
        build({ principal: p.written, target: t.written, role: r.written }, p.value, t.value, r.value),
      ),
    ),
  );
}
