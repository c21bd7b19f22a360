// A section's writer that saves what its creates may make (savingWriter): each create's entry in a
// slot of its own, as its section says, first before the create is sent (a step killed while it
// is in flight still leaves the post step its record), then again once it ended SUCCEEDED, with
// what it answered. A create that failed keeps the entry as sent (the post step asks the service);
// any other change, a write never sent, and a create the section saves nothing of, are never
// saved. The write's own end is handed on unchanged.
import { describe, expect, it } from '@jest/globals';
import { savingWriter, type SectionSaves } from '../../../src/engine/run/saved-sections.js';
import type { KindWriter, PlannedWriteOf, WriteEnded } from '../../../src/engine/calls/write-plan.js';

const ended = (status: WriteEnded['status'], answer?: string): WriteEnded => ({
  status,
  rows: [],
  ...(answer ? { answer } : {}),
});

const note = (change: PlannedWriteOf['change'], item: string): PlannedWriteOf => ({
  kind: 'note',
  change,
  item,
  key: item,
});

/** Saves `{item}` as sent and `{item, stamp}` once answered; nothing of `unsaved`, only the answer of `answered-only`. */
const saves: SectionSaves = {
  entryOf: (_write, item, end) => {
    if (item === 'unsaved') return undefined;
    if (!end) return item === 'answered-only' ? undefined : { item };
    return { item, stamp: end.answer };
  },
};

/** The saving writer over one that ends each write as `endOf` says, and every save it made, slot by slot. */
function savingOver(endOf: (write: PlannedWriteOf) => Promise<WriteEnded>) {
  const slots: [string, object][][] = [];
  const writer = savingWriter(
    { write: (write) => endOf(write), unsent: () => ended('FAILED') } satisfies KindWriter,
    saves,
    (kind) => {
      const slot: [string, object][] = [];
      slots.push(slot);
      return (entry) => slot.push([kind, entry]);
    },
  );
  return { writer, slots };
}

const send = (writer: KindWriter, write: PlannedWriteOf) => writer.write(write, write.item, {} as never);

describe('a saving section writer', () => {
  it('saves a create before it is sent, then in the same slot with what its answer says', async () => {
    let seenBeforeSend: unknown;
    const { writer, slots } = savingOver(async () => {
      seenBeforeSend = structuredClone(slots);
      return ended('SUCCEEDED', 'stamp-1');
    });
    expect(await send(writer, note('create', 'a'))).toEqual(ended('SUCCEEDED', 'stamp-1'));
    expect(seenBeforeSend).toEqual([[['note', { item: 'a' }]]]);
    expect(slots).toEqual([
      [
        ['note', { item: 'a' }],
        ['note', { item: 'a', stamp: 'stamp-1' }],
      ],
    ]);
  });

  it('leaves the entry as sent when the step stops while the create is in flight', async () => {
    const { writer, slots } = savingOver(() => new Promise<WriteEnded>(() => {}));
    void send(writer, note('create', 'a'));
    await Promise.resolve();
    expect(slots).toEqual([[['note', { item: 'a' }]]]);
  });

  it('keeps the entry as sent of a create that failed: only the service can say whether it made anything', async () => {
    const { writer, slots } = savingOver(async () => ended('FAILED'));
    await send(writer, note('create', 'failed'));
    expect(slots).toEqual([[['note', { item: 'failed' }]]]);
  });

  it('saves no delete or update, even when it succeeded', async () => {
    const { writer, slots } = savingOver(async () => ended('SUCCEEDED'));
    await send(writer, note('delete', 'gone'));
    await send(writer, note('update', 'changed'));
    expect(slots).toEqual([]);
  });

  it('saves nothing of a create its section saves nothing of, and only the answer of one it saves only answered', async () => {
    const { writer, slots } = savingOver(async () => ended('SUCCEEDED', 'stamp-2'));
    await send(writer, note('create', 'unsaved'));
    await send(writer, note('create', 'answered-only'));
    expect(slots).toEqual([[['note', { item: 'answered-only', stamp: 'stamp-2' }]]]);
  });

  it('saves nothing of a write that was never sent', () => {
    const { writer, slots } = savingOver(async () => ended('SUCCEEDED'));
    expect(writer.unsent(note('create', 'a'), 'deadline' as never)).toEqual(ended('FAILED'));
    expect(slots).toEqual([]);
  });
});
