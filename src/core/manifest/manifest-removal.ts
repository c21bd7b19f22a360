// A manifest's text with rows removed, for the pull request that removes them (a review's due
// date, a report's prune: github/manifest-pulls.ts): each row found in the entry at its line
// (`manifestLine`) by its principal, role and target as the entry writes them (an ID, or the name
// the read found), and that entry split only where a removed row needs it (the principals but the
// row's; the row's principal with the other roles; with the row's role, the other targets). An AWS
// entry's OU, root or path target that covers a removed row's account becomes the accounts
// Organizations listed under it minus the removed ones, in that split piece only (unitsToRead
// names the targets to read). A row whose entry covers it through a target not read, or one
// holding accounts not ACTIVE (an ID list would drop them), or through a scope above it, or that
// the entry does not name, is left, with why: the pull request never removes more than the rows.
// The rest of the file (comments, other entries) is kept as written. Pure.
import {
  Document,
  isMap,
  isSeq,
  LineCounter,
  parseDocument,
  type Node,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { ACCOUNT_ID } from '../patterns.js';
import { type RowToRemove, type Cell, type Units, values, cellOf, CELLS } from './removal-cells.js';

export interface ManifestRemoval {
  /** The new text; undefined when no row could be removed. */
  text: string | undefined;
  removed: string[];
  /** Rows left in the manifest, each with why (to remove by hand). */
  left: { rowId: string; why: string }[];
}

/** An entry's three lists, as written; the other keys are the entry's own. */
interface Piece {
  principal: string[];
  role: string[];
  target: string[];
}
const KEYS = ['principal', 'role', 'target'] as const;

/** The OU, root and path targets of the AWS entries that hold a removed row: what removeRows needs read. */
export function unitsToRead(source: string, rows: readonly RowToRemove[]): string[] {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return [];
  const top = doc.contents;
  const units = rows.flatMap((row) => {
    const at = CELLS[row.cloud].unitsRead ? entryAt(top, row, lines) : undefined;
    if (!at || typeof at === 'string' || typeof cellOf(at.entry, row, undefined, true) === 'string')
      return [];
    return values(at.entry, 'target').filter((t) => !ACCOUNT_ID.test(t));
  });
  return [...new Set(units)];
}

export function removeRows(
  source: string,
  rows: readonly RowToRemove[],
  units: Units = new Map(),
): ManifestRemoval {
  const lines = new LineCounter();
  // logLevel: toJS() below would print a warning with the file's text raw to stderr (a collection
  // key, shown whole: a `##[stop-commands]` in it obeyed by the runner). Its errors are read here.
  const doc = parseDocument(source, { lineCounter: lines, logLevel: 'error' });
  const left: ManifestRemoval['left'] = [];
  if (doc.errors.length > 0 || !isMap(doc.contents))
    return {
      text: undefined,
      removed: [],
      left: rows.map((r) => ({ rowId: r.id, why: 'the manifest is not valid YAML' })),
    };
  const removed: string[] = [];
  const byEntry = new Map<YAMLMap, { index: number; seq: YAMLSeq; cells: Cell[] }>();
  for (const row of rows) {
    const at = entryAt(doc.contents, row, lines);
    if (typeof at === 'string') {
      left.push({ rowId: row.id, why: at });
      continue;
    }
    const cell = cellOf(at.entry, row, units);
    if (typeof cell === 'string') {
      left.push({ rowId: row.id, why: cell });
      continue;
    }
    const edit = byEntry.get(at.entry) ?? { index: at.index, seq: at.seq, cells: [] };
    edit.cells.push(cell);
    byEntry.set(at.entry, edit);
    removed.push(row.id);
  }
  if (removed.length === 0) return { text: undefined, removed, left };
  // From the last entry up, so that each entry's index holds while the ones after it are split.
  const written: { entry: YAMLMap; seq: YAMLSeq; nodes: Node[] }[] = [];
  for (const [entry, edit] of [...byEntry].sort((a, b) => b[1].index - a[1].index)) {
    const pieces = edit.cells.reduce((all, cell) => all.flatMap((p) => without(p, cell)), [piece(entry)]);
    const nodes = pieces.map((p) => entryNode(doc, entry, p));
    written.push({ entry, seq: edit.seq, nodes });
    edit.seq.items.splice(edit.index, 1, ...nodes);
  }
  return { text: spliced(source, doc, written) ?? doc.toString(), removed, left };
}

/**
 * The source with only the edited entries' text replaced (each by its pieces, at its indentation;
 * a list left empty as `[]`): every other line, comment and quote stays as written. Undefined
 * where an entry is not a block item the splice can place (the whole document is written then),
 * or the result would not read back as the edited document.
 */
function spliced(
  source: string,
  doc: ReturnType<typeof parseDocument>,
  written: readonly { entry: YAMLMap; seq: YAMLSeq; nodes: Node[] }[],
): string | undefined {
  const cuts: { from: number; to: number; text: string }[] = [];
  for (const seq of new Set(written.map((w) => w.seq))) {
    if (seq.items.length > 0 || !seq.range) continue;
    // Every entry removed: the list's text becomes `[]` after its key.
    const colon = source.lastIndexOf(':', seq.range[0]);
    if (colon < 0) return undefined;
    cuts.push({ from: colon + 1, to: trimmedEnd(source, seq.range[0], seq.range[1]), text: ' []' });
  }
  for (const w of written) {
    if (cuts.some((c) => c.text === ' []' && w.seq.items.length === 0)) continue;
    const range = w.entry.range;
    if (!range) return undefined;
    const lineStart = source.lastIndexOf('\n', range[0] - 1) + 1;
    const dash = source.slice(lineStart, range[0]);
    if (!/^ *- +$/.test(dash)) return undefined;
    const end = trimmedEnd(source, range[0], range[1]);
    if (w.nodes.length === 0) {
      const lineEnd = source.indexOf('\n', end);
      cuts.push({ from: lineStart, to: lineEnd < 0 ? source.length : lineEnd + 1, text: '' });
      continue;
    }
    const indent = ' '.repeat(dash.length);
    const texts = w.nodes.map((n) => new Document(n).toString().trimEnd().split('\n').join(`\n${indent}`));
    cuts.push({ from: range[0], to: end, text: texts.join(`\n${dash}`) });
  }
  let text = source;
  for (const c of cuts.sort((a, b) => b.from - a.from))
    text = text.slice(0, c.from) + c.text + text.slice(c.to);
  const back = parseDocument(text, { logLevel: 'error' });
  return back.errors.length === 0 && JSON.stringify(back.toJS()) === JSON.stringify(doc.toJS())
    ? text
    : undefined;
}

/** Where a node's text ends, its trailing spaces and line breaks left out. */
function trimmedEnd(source: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(source[e - 1]!)) e--;
  return e;
}

/** The entry of the row's section whose mapping starts at (or holds) the row's line. */
function entryAt(top: YAMLMap, row: RowToRemove, lines: LineCounter) {
  const section = top.get(row.cloud);
  const seq = isMap(section) ? section.get('assignments') : undefined;
  if (!isSeq(seq) || row.manifestLine === null) return 'its manifest has no entry at its line';
  // The last entry that starts at or before the line, and holds it (an entry ends where the next starts).
  const starts = seq.items.map((e) => {
    const range = (e as Node).range;
    return isMap(e) && range ? [lines.linePos(range[0]).line, lines.linePos(range[1] - 1).line] : [0, -1];
  });
  const index = starts.findLastIndex(
    ([start, end]) => start! <= row.manifestLine! && row.manifestLine! <= end!,
  );
  if (index < 0) return `its manifest has no entry at line ${row.manifestLine}`;
  return { entry: seq.items[index] as YAMLMap, index, seq };
}

const piece = (entry: YAMLMap): Piece => ({
  principal: values(entry, 'principal'),
  role: values(entry, 'role'),
  target: values(entry, 'target'),
});

/**
 * A piece without one cell: itself when it does not hold it, else at most three pieces. In the
 * cell's own piece each target covering the account is replaced by the accounts it covers, the
 * account taken out.
 */
function without(p: Piece, cell: Cell): Piece[] {
  const covering = p.target.filter((t) => cell.via.has(t) || t === cell.account);
  if (covering.length === 0 || !p.principal.includes(cell.principal) || !p.role.includes(cell.role))
    return [p];
  const others = (k: 'principal' | 'role') => p[k].filter((v) => v !== cell[k]);
  const expanded = covering.flatMap((t) => cell.via.get(t) ?? []);
  const targets = [...new Set([...p.target.filter((t) => !covering.includes(t)), ...expanded])].filter(
    (t) => t !== cell.account,
  );
  return [
    { ...p, principal: others('principal') },
    { principal: [cell.principal], role: others('role'), target: p.target },
    { principal: [cell.principal], role: [cell.role], target: targets },
  ].filter((q) => KEYS.every((k) => q[k].length > 0));
}

/** The entry's node for a piece: the entry's other keys as written, its lists as the piece's. */
function entryNode(doc: ReturnType<typeof parseDocument>, entry: YAMLMap, p: Piece): Node {
  const node = entry.clone() as YAMLMap;
  for (const k of KEYS) {
    const list = p[k];
    const value = doc.createNode(list.length === 1 ? list[0] : list);
    if (isSeq(value)) value.flow = true;
    node.set(k, value);
  }
  return node;
}
