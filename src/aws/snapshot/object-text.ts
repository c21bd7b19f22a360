// The JSON a snapshot object holds, read as it arrives and bounded while it is read: the object is
// the bucket's, and a few hundred kilobytes of gzip can inflate to gigabytes, or to JSON nested
// so deep that parsing it takes the step's memory. The gzip is inflated as a stream, counted, and
// its nesting scanned (core/snapshot/nesting.ts) before any of it is parsed; past either bound the
// object is read no further, and the run reads completely instead.
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { nestingScan, SNAPSHOT_MAX_DEPTH } from '../../core/snapshot/nesting.js';

/** A snapshot is a few megabytes at 2,000 accounts × 150 permission sets; more is not ours. */
export const LARGEST_SNAPSHOT_BYTES = 64 * 1024 * 1024;

/** Why the object is no snapshot, as its reader is told. */
class Unreadable extends Error {}

/** The JSON value the gzipped body holds, or why it holds none. */
export async function snapshotJson(
  body: Readable,
  signal: AbortSignal,
): Promise<{ content: unknown } | { unreadable: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const scan = nestingScan();
  try {
    await pipeline(
      body,
      createGunzip(),
      async (inflated: AsyncIterable<Buffer>) => {
        for await (const chunk of inflated) {
          size += chunk.length;
          if (size > LARGEST_SNAPSHOT_BYTES) throw new Unreadable('it inflates to more than 64 MiB');
          if (!scan.feed(chunk))
            throw new Unreadable(
              `its JSON nests deeper than ${SNAPSHOT_MAX_DEPTH} levels, deeper than the format does`,
            );
          chunks.push(chunk);
        }
      },
      { signal },
    );
  } catch (error) {
    if (error instanceof Unreadable) return { unreadable: error.message };
    if (isZlibError(error)) return { unreadable: 'it is not gzipped JSON' };
    throw error;
  }
  try {
    return { content: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { unreadable: 'it is not gzipped JSON' };
  }
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('Z_');
}
