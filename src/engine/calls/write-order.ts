// The order of a plan's writes (./write-plan.ts), as the kinds declare it (core/kinds/, `order`)
// and as each write's needs add to it: writes grouped by kind and change, a group waiting for whole
// groups, each write for its own needs, and a plan whose order goes round in a circle refused
// before any write. ../run/ runs the plan in this order.
import { kindNamed, type WriteRef } from '../../core/kinds/index.js';
import type { PlannedWriteOf, WritePlan } from './write-plan.js';

const refOf = (write: PlannedWriteOf<unknown>): WriteRef => ({ kind: write.kind, change: write.change });
const sameRef = (a: WriteRef, b: WriteRef) => a.kind === b.kind && a.change === b.change;
const keyOf = (ref: WriteRef) => `${ref.kind}|${ref.change}`;

/** Whether the kinds declare that the writes `a` end before the writes `b` start. */
export function declaredBefore(a: WriteRef, b: WriteRef): boolean {
  if (sameRef(a, b)) return false;
  const ofA = kindNamed(a.kind).order ?? [];
  const ofB = kindNamed(b.kind).order ?? [];
  return (
    ofA.some((o) => o.change === a.change && o.before !== undefined && sameRef(o.before, b)) ||
    ofB.some((o) => o.change === b.change && o.after !== undefined && sameRef(o.after, a))
  );
}

/**
 * The order of a plan's writes, kept at the level the kinds declare it: writes are grouped by kind
 * and change, and a group waits for whole groups (`after`), so a plan of many writes holds one
 * edge per pair of groups, not one per pair of writes. Each write also waits for its own needs.
 */
export interface WriteOrder {
  /** Each write's group, by index. */
  groupOf: number[];
  groups: { ref: WriteRef; members: number[]; after: number[] }[];
}

/**
 * The plan's order (above). A plan whose order goes round in a circle is a bug in a kind's
 * declaration or the plan's maker, refused before any write.
 */
export function writeOrderOf(plan: WritePlan): WriteOrder {
  const byKey = new Map<string, number>();
  const groups: WriteOrder['groups'] = [];
  const groupOf = plan.writes.map((write) => {
    const key = keyOf(refOf(write));
    let g = byKey.get(key);
    if (g === undefined) {
      g = groups.length;
      byKey.set(key, g);
      groups.push({ ref: refOf(write), members: [], after: [] });
    }
    return g;
  });
  groupOf.forEach((g, i) => groups[g]!.members.push(i));
  for (const b of groups)
    groups.forEach((a, g) => {
      if (declaredBefore(a.ref, b.ref)) b.after.push(g);
    });
  const order = { groupOf, groups };
  refuseCircles(plan, order);
  return order;
}

/** Each write's predecessors, write by write: the writes that end before it starts (../run/ uses the groups). */
export function predecessorsOf(plan: WritePlan): number[][] {
  const { groupOf, groups } = writeOrderOf(plan);
  return plan.writes.map((write, i) => [
    ...new Set([
      ...groups[groupOf[i]!]!.after.flatMap((g) => groups[g]!.members),
      ...(write.needs?.all ?? []),
    ]),
  ]);
}

/**
 * A depth-first walk of writes and groups (a write waits for the groups before its own and for
 * its needs; a group for its members), without recursion: a long chain of needs is no deep stack.
 */
function refuseCircles(plan: WritePlan, { groupOf, groups }: WriteOrder): void {
  const writes = plan.writes.length;
  // Nodes 0..writes-1 are writes, writes+g is group g.
  const edgesOf = (node: number): readonly number[] =>
    node >= writes
      ? groups[node - writes]!.members
      : [
          ...groups[groupOf[node]!]!.after.map((g) => writes + g),
          ...(plan.writes[node]!.needs?.all ?? []),
          ...(plan.writes[node]!.needs?.any ?? []),
        ];
  const state = new Array<'open' | 'done' | undefined>(writes + groups.length);
  for (let root = 0; root < writes; root++) {
    if (state[root]) continue;
    const stack: { node: number; edges: readonly number[]; next: number }[] = [];
    const enter = (node: number) => {
      state[node] = 'open';
      stack.push({ node, edges: edgesOf(node), next: 0 });
    };
    enter(root);
    while (stack.length > 0) {
      const top = stack.at(-1)!;
      if (top.next === top.edges.length) {
        state[top.node] = 'done';
        stack.pop();
        continue;
      }
      const to = top.edges[top.next++]!;
      if (state[to] === 'done') continue;
      if (state[to] === 'open') {
        const path = stack.map((f) => f.node);
        const circle = [...path.slice(path.indexOf(to)), to]
          .filter((n) => n < writes)
          .map((n) => keyOf(refOf(plan.writes[n]!)));
        throw new Error(`the writes' order goes round in a circle: ${circle.join(' → ')}`);
      }
      enter(to);
    }
  }
}
