// The JSON a snapshot object holds, read bounded: the object is the bucket's, and a few hundred
// kilobytes of gzip can inflate to gigabytes, or to JSON nested so deep that parsing it takes the
// step's memory. The body is read to its end first (at most 64 MiB), then inflated from memory in
// pieces of 1 MiB, counted, and its nesting scanned (core/snapshot/nesting.ts) before any of it is
// parsed; past either bound the object is read no further, and the run reads completely instead.
//
// Why read the body first and inflate in large pieces: inflating as the response arrives held the
// response paused while the CPU worked, and zlib's default 16 KiB pieces made 4,000 hand-offs
// between zlib's thread and the step's for 64 MiB. On a runner whose CPU is shared, each hand-off
// waits for a turn of the CPU, and a 64 MiB object took minutes (a read of 4 s on a quiet machine
// did not end in 3 minutes beside 6 busy processes), long enough for S3's idle timeout to cut the
// paused response. Now the response is done with in one read, and 64 MiB takes 64 hand-offs.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { nestingScan, SNAPSHOT_MAX_DEPTH } from '../../core/snapshot/nesting.js';

/** A snapshot is a few megabytes at 2,000 accounts × 150 permission sets; more is not ours. */
export const LARGEST_SNAPSHOT_BYTES = 64 * 1024 * 1024;

/** The pieces the gzip is inflated in: few hand-offs between zlib's thread and the step's. */
const INFLATED_PIECE_BYTES = 1024 * 1024;

/** Why the object is no snapshot, as its reader is told. */
class Unreadable extends Error {}

/** The JSON value the gzipped body holds, or why it holds none. */
export async function snapshotJson(
  body: Readable,
  signal: AbortSignal,
): Promise<{ content: unknown } | { unreadable: string }> {
  try {
    const compressed = await wholeBody(body, signal);
    const text = await inflatedText(compressed, signal);
    return { content: JSON.parse(text.toString('utf8')) as unknown };
  } catch (error) {
    if (error instanceof Unreadable) return { unreadable: error.message };
    if (isZlibError(error) || error instanceof SyntaxError) return { unreadable: 'it is not gzipped JSON' };
    throw error;
  }
}

/** The response's bytes, read to their end as fast as they come: at most 64 MiB. */
async function wholeBody(body: Readable, signal: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  await pipeline(
    body,
    async (bytes: AsyncIterable<Buffer>) => {
      for await (const chunk of bytes) {
        size += chunk.length;
        if (size > LARGEST_SNAPSHOT_BYTES) throw new Unreadable('it is larger than 64 MiB');
        chunks.push(chunk);
      }
    },
    { signal },
  );
  return Buffer.concat(chunks, size);
}

/** The inflated bytes, read no further than 64 MiB or the first level nested too deep. */
async function inflatedText(compressed: Buffer, signal: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const scan = nestingScan();
  await pipeline(
    Readable.from([compressed]),
    createGunzip({ chunkSize: INFLATED_PIECE_BYTES }),
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
  return Buffer.concat(chunks, size);
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('Z_');
}
