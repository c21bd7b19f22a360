// The step's memory. A step waits on services far more than it computes (IAM Identity Center's 20
// calls a second, ARM's buckets), yet V8 doubles its young generation (where new objects are made)
// whenever enough of them outlive a collection: over a long read it reaches 64 MiB, most of a
// report's peak resident memory. Held where it is, the step collects a small space more often
// (well under a millisecond each) and holds a third less. V8 reads this flag each time the space
// would grow, so setting it while the process runs takes effect (the runner starts `node` with no
// flags of the action's, and `max-semi-space-size` is read only as the heap is set up).
//
// It is set once a cloud's code is loaded, not as the process starts: loading an SDK makes objects
// in a burst, which a space held at its first size collects dozens of times over (the first write
// of `npm run bench:batches -- 60` went 50-80 ms later). Held from then on at the size loading grew
// it to, a long read still stays small (`npm run bench:report`: 110-117 MiB), and a one-grant step
// holds 1-2 MiB more than with the space held from the start.

/** `chunk` once loaded (an import() of a cloud's code), the young generation held from then on. */
export async function loadedThenKeptSmall<T>(chunk: Promise<T>): Promise<T> {
  const loaded = await chunk;
  // node:v8 is loaded here, once the step's first request is on the wire, not as the step starts.
  process.getBuiltinModule('node:v8').setFlagsFromString('--semi-space-growth-factor=1');
  return loaded;
}
