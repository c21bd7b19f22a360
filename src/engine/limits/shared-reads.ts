/**
 * Reads that serve several grants are made once: one ListAccountAssignments per account and
 * permission set, one role-name lookup per name and scope. A failed read is forgotten so a later
 * grant may try again.
 */
export class SharedReads {
  private readonly entries = new Map<string, Promise<unknown>>();

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key) as Promise<T> | undefined;
    if (!entry) {
      entry = load();
      this.entries.set(key, entry);
      entry.catch(() => this.entries.delete(key));
    }
    return entry;
  }
}
