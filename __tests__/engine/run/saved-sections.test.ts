// A section's writer that saves what its creates made (savingWriter): each create that ended
// SUCCEEDED is saved, as its section says, once its answer is in; a create that failed or was not
// sent, any other change, and a create the section saves nothing of, are never saved. The write's
// own end is handed on unchanged.
import { describe, expect, it } from '@jest/globals';
import { savingWriter, type SectionSaves } from '../../../src/engine/run/saved-sections.js';
import type { KindWriter, PlannedWriteOf, WriteEnded } from '../../../src/engine/calls/write-plan.js';

const ended = (status: WriteEnded['status'], answer?: string): WriteEnded => ({
  status,
  rows: [],
  ...(answer ? { answer } : {}),
});

/** A writer that ends each write as `endOf` says. */
const writerEnding = (endOf: (write: PlannedWriteOf) => WriteEnded): KindWriter => ({
  write: async (write) => endOf(write),
  unsent: () => ended('FAILED'),
});

const note = (change: PlannedWriteOf['change'], item: string): PlannedWriteOf => ({
  kind: 'note',
  change,
  item,
  key: item,
});

const savesAnswered: SectionSaves = {
  entryOf: (write, item, end) => (item === 'unsaved' ? undefined : { item, stamp: end.answer }),
};

async function sent(writes: [PlannedWriteOf, WriteEnded][]) {
  const saved: [string, object][] = [];
  const byItem = new Map(writes.map(([w, e]) => [w.item as string, e]));
  const writer = savingWriter(
    writerEnding((w) => byItem.get(w.item as string)!),
    savesAnswered,
    (kind, entry) => saved.push([kind, entry]),
  );
  const ends = [];
  for (const [write] of writes) ends.push(await writer.write(write, write.item, {} as never));
  return { saved, ends };
}

describe('a saving section writer', () => {
  it('saves a create that ended SUCCEEDED, with what its answer says', async () => {
    const { saved, ends } = await sent([[note('create', 'a'), ended('SUCCEEDED', 'stamp-1')]]);
    expect(saved).toEqual([['note', { item: 'a', stamp: 'stamp-1' }]]);
    expect(ends).toEqual([ended('SUCCEEDED', 'stamp-1')]);
  });

  it('saves no create that failed, and no delete or update even when it succeeded', async () => {
    const { saved } = await sent([
      [note('create', 'failed'), ended('FAILED')],
      [note('delete', 'gone'), ended('SUCCEEDED')],
      [note('update', 'changed'), ended('SUCCEEDED')],
    ]);
    expect(saved).toEqual([]);
  });

  it('saves nothing of a create its section saves nothing of', async () => {
    const { saved } = await sent([[note('create', 'unsaved'), ended('SUCCEEDED', 'stamp-2')]]);
    expect(saved).toEqual([]);
  });

  it('saves nothing of a write that was never sent', () => {
    const saved: unknown[] = [];
    const writer = savingWriter(
      writerEnding(() => ended('SUCCEEDED')),
      savesAnswered,
      (k, e) => saved.push([k, e]),
    );
    expect(writer.unsent(note('create', 'a'), 'deadline' as never)).toEqual(ended('FAILED'));
    expect(saved).toEqual([]);
  });
});
