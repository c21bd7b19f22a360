// What a record calls the IDs it names, where the step's own reads did not say: an AWS account's
// Organizations name, a permission set's name, an Azure subscription's display name, a principal
// given by object ID. Looked up for the records alone (only a step with `audit-log` asks), each ID
// once, in batches: the IDs asked while a lookup is out wait for the next one, so a step's records
// cost a lookup per batch, not one per record. A name is server text: a record holds it as JSON
// data, and whatever shows one makes it inert (core/inert.ts). An adapter reading one call per ID
// reads through NameReads.
import type { CallRunner } from '../calls/call-runner.js';
import { withinBudget, type LabelsBudget } from '../limits/best-effort.js';
import type { RecordBody } from './record.js';

/** What a record's principal, role and target are called. */
export interface RecordNames {
  principal?: string;
  role?: string;
  target?: string;
}

/** The cloud's names for a record's IDs (aws/audit-names.ts, azure/audit-names.ts). */
export interface RecordNamer {
  /**
   * The names of the record's IDs that it does not name yet. Never rejects: what cannot be read
   * stays an ID, and the namer says so once, naming what the step's identity needs.
   */
  namesOf(record: RecordBody): Promise<RecordNames>;
}

/** The record with the names it lacked; a name it holds already is kept. */
export function withNames(record: RecordBody, names: RecordNames): RecordBody {
  const named = (field: 'principal' | 'role' | 'target') => {
    const at = record[field];
    const name = names[field];
    return at && at.name === undefined && name ? { [field]: { ...at, name } } : {};
  };
  return { ...record, ...named('principal'), ...named('role'), ...named('target') };
}

/**
 * Names by ID, each looked up once, in batches of at most `batchSize`: an ID asked while a lookup
 * is out waits for the next. `lookUp` answers the names it found; it must not reject (an ID it
 * cannot name is left out).
 */
export class BatchedNames {
  private readonly asked = new Map<string, Promise<string | undefined>>();
  private readonly waiting = new Map<string, (name: string | undefined) => void>();
  private running: Promise<void> | undefined;

  constructor(
    private readonly lookUp: (ids: string[]) => Promise<ReadonlyMap<string, string>>,
    private readonly batchSize: number,
  ) {}

  nameOf(id: string): Promise<string | undefined> {
    let name = this.asked.get(id);
    if (!name) {
      name = new Promise((resolve) => this.waiting.set(id, resolve));
      this.asked.set(id, name);
      this.running ??= this.drain();
    }
    return name;
  }

  private async drain(): Promise<void> {
    // The IDs of the records asked in the same turn go in one lookup.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.waiting.size > 0) {
      const batch = [...this.waiting].slice(0, this.batchSize);
      for (const [id] of batch) this.waiting.delete(id);
      const names = await this.lookUp(batch.map(([id]) => id)).catch(() => new Map<string, string>());
      for (const [id, resolve] of batch) resolve(names.get(id));
    }
    // In the same turn as the last look at `waiting`: an ID asked later starts a drain of its own.
    this.running = undefined;
  }
}

/**
 * One kind of name, read one call per ID, at most `batch` at once, within the labels budget. A
 * failure `stop`s every later read (a denied permission stays denied) or leaves its ID `unnamed`.
 */
export class NameReads {
  private readonly names: BatchedNames;
  private stopped = false;

  constructor(
    call: CallRunner,
    budget: LabelsBudget,
    read: (call: CallRunner, id: string) => Promise<string | undefined>,
    failed: (error: unknown) => 'stop' | 'unnamed',
    batch: number,
  ) {
    this.names = new BatchedNames(async (ids) => {
      const found = new Map<string, string>();
      if (this.stopped) return found;
      const reads = ids.map(async (id) => {
        if (this.stopped) return;
        try {
          const name = await read(call, id);
          if (name) found.set(id, name);
        } catch (error) {
          if (failed(error) === 'stop') this.stopped = true;
        }
      });
      await withinBudget(Promise.all(reads), budget.start()).catch((error: unknown) => {
        this.stopped = true;
        failed(error);
      });
      return found;
    }, batch);
  }

  nameOf(id: string): Promise<string | undefined> {
    return this.names.nameOf(id);
  }
}
