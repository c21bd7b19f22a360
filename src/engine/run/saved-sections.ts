// A kind beside the assignments whose creates end with the job: its section declares what of its
// creates the main step saves (SectionSaves, on its plan), each before it is sent and again as it
// is answered, and the post step's part of it (SavedSection, from the adapter's session): its own
// parser of what it saved, the service's word on whether each is still what the step made, and
// its revoke, a write of its kind. The post step puts those revokes in the one plan of its writes
// (operations/revoke-on-exit/) and names no kind; saved state is core/state/saved-sections.ts.
import type { GrantResult } from '../../core/grant-result.js';
import type { WrittenGrant } from '../../core/types.js';
import type { PlannedKindChange, RecordBody } from '../audit/record.js';
import type { KindWriter, PlannedWriteOf, WriteEnded } from '../calls/write-plan.js';

/** What of its creates a section's main step saves for the post step: those that end with the job. */
export interface SectionSaves {
  /**
   * The entry saved for a create (`item`, as its needs' answers made it), the kind's own JSON:
   * first as it is sent (`ended` undefined), so a step killed before the answer still leaves the
   * post step a record of what it may have made; then, once it ended SUCCEEDED, with what it
   * answered. Undefined saves none (once answered: the entry as sent stays).
   */
  entryOf(write: PlannedWriteOf, item: unknown, ended?: WriteEnded): object | undefined;
}

/** A slot of the saved state for one create's entry, saved again as the create goes (core/state/saved-sections.ts). */
export type SaveSlot = (entry: object) => void;

/** Where a section's creates are saved: a slot of their own for each, of the kind named. */
export type SectionSaver = (kind: string) => SaveSlot;

/** Whether a saved create is still what the step made, by the service's word. */
export type SavedVerdict =
  | { ours: true }
  | {
      ours: false;
      /** Why it is not revoked, as its result says. */
      reason: string;
      /** Gone already: nothing to revoke. */
      gone?: boolean;
      /** The service could not be asked: a failure, not a verdict. */
      failed?: boolean;
    };

/** The post step's part of a kind whose section saves creates, over the post step's session. */
export interface SavedSection<E = unknown> {
  kind: string;
  /** Its own parser of an entry it saved (hostile: the job writes the state): the entry, or why not. */
  parse(entry: unknown): E | string;
  /** The entry as the step's rows and messages show it. */
  shown(entry: E): WrittenGrant;
  /** How a person removes it by hand. */
  removeBy(entry: E): string;
  /** Whether it is still what the step made; nothing is revoked that the service does not prove so. */
  owns(entry: E): Promise<SavedVerdict>;
  /** Its revoke, as a write of its kind. */
  revoke(entry: E): PlannedWriteOf;
  /** Its revoke as the step's first `audit-log` record lists it (under its kind's list, as a reconcile's plan does). */
  planned(entry: E): PlannedKindChange;
  /** The writer of its revokes, each told to `record` for its `audit-log` record and to `say` as its result. */
  writer(record: (what: string, body: RecordBody) => void, say: (result: GrantResult) => void): KindWriter;
}

/**
 * A section's writer that saves each create's entry as its section says (`saves`), through a slot
 * of its own (`slotOf`): before the create is sent, and again once it is answered. What the post
 * step reads back, proves the step's and revokes.
 */
export function savingWriter(writer: KindWriter, saves: SectionSaves, slotOf: SectionSaver): KindWriter {
  return {
    unsent: (write, why) => writer.unsent(write, why),
    ...(writer.readAhead ? { readAhead: (write) => writer.readAhead!(write) } : {}),
    ...(writer.settled ? { settled: (write, ended) => writer.settled!(write, ended) } : {}),
    write: async (write, item, context) => {
      if (write.change !== 'create') return writer.write(write, item, context);
      const sending = saves.entryOf(write, item);
      let save: SaveSlot | undefined;
      if (sending) (save = slotOf(write.kind))(sending);
      const ended = await writer.write(write, item, context);
      const answered = ended.status === 'SUCCEEDED' ? saves.entryOf(write, item, ended) : undefined;
      if (answered) (save ?? slotOf(write.kind))(answered);
      return ended;
    },
  };
}
