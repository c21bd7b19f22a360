// A fault that stages concurrent writers (faults.armHeldWrites): ARM takes no ETag on a role
// assignment and keeps the last write of its description, so writers that each read, append and
// PUT lose each other's text whenever their writes meet. Matching PUTs are held until `together`
// of them wait, or `maxHoldMs` after the first of them, then go on in the order they came: each
// was made from a read before any of them was applied, as concurrent jobs' writes can be.
// `batches`: how many batches are held (unlimited when absent); after the last, the fault is off.
import type { AzureContext } from '../tenant/context.js';

const waiting = new WeakMap<AzureContext, { release: () => void; held: (() => void)[] }>();

export function holdConcurrentWrite(ctx: AzureContext, method: string, url: URL): Promise<void> | undefined {
  const fault = ctx.faults.armHeldWrites;
  if (!fault || method !== 'PUT') return undefined;
  if (fault.pathIncludes && !url.pathname.toLowerCase().includes(fault.pathIncludes.toLowerCase()))
    return undefined;
  let batch = waiting.get(ctx);
  if (!batch) {
    const held: (() => void)[] = [];
    const release = () => {
      clearTimeout(timer);
      if (fault.batches !== undefined && --fault.batches <= 0 && ctx.faults.armHeldWrites === fault)
        ctx.faults.armHeldWrites = null;
      if (waiting.get(ctx) === batch) waiting.delete(ctx);
      for (const go of held) go();
    };
    const timer = setTimeout(release, fault.maxHoldMs);
    batch = { release, held };
    waiting.set(ctx, batch);
  }
  const current = batch;
  return new Promise<void>((go) => {
    current.held.push(go);
    if (current.held.length >= fault.together) current.release();
  });
}
