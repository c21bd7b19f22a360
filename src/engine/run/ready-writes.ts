// The queue of writes ready to start that the engine's scheduler (./run-writes.ts) takes from.
/**
 * The writes ready to start, lowest index first: a sorted array read from a moving head, so taking
 * the first is O(1) and a write that becomes ready after those before it (the usual case) is added
 * at the end without moving the rest.
 */
export class ReadyWrites {
  private items: number[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  /** The write `k` places from the first, if there is one. */
  at(k: number): number | undefined {
    return this.items[this.head + k];
  }

  shift(): number {
    const first = this.items[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return first;
  }

  insert(value: number): void {
    let low = this.head;
    let high = this.items.length;
    if (high === low || this.items[high - 1]! < value) {
      this.items.push(value);
      return;
    }
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.items[middle]! < value) low = middle + 1;
      else high = middle;
    }
    this.items.splice(low, 0, value);
  }
}
