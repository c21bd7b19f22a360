// How a snapshot object's body is read: to its end first, then inflated from memory, so that the
// response is never held open while the step's CPU inflates and scans it. A response held paused
// is what a client's idle timeout cuts (the S3 client's `requestTimeout` counts a paused socket as
// idle), and on a runner whose CPU is shared, inflating 64 MiB as the response arrived held it
// paused for minutes.
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { snapshotJson } from '../../../src/aws/snapshot/object-text.js';

/** A response of these pieces that is cut, as an idle timeout cuts it, whenever its reader pauses it. */
function cutWhenPaused(pieces: Buffer[]): Readable & { wasPaused: () => boolean } {
  let paused = false;
  const body = new Readable({
    highWaterMark: 1024,
    read() {
      const piece = pieces.shift();
      this.push(piece ?? null);
    },
  });
  body.on('pause', () => {
    paused = true;
    body.destroy(new Error('socket hang up: idle for longer than requestTimeout'));
  });
  return Object.assign(body, { wasPaused: () => paused });
}

function piecesOf(bytes: Buffer, size: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  return pieces;
}

describe('a snapshot object’s body', () => {
  it('is read to its end before any of it is inflated: the response is never held paused', async () => {
    const snapshot = {
      format: 1,
      places: Object.fromEntries([...Array(2_000).keys()].map((n) => [`p${n}`, []])),
    };
    const body = cutWhenPaused(piecesOf(gzipSync(JSON.stringify(snapshot), { level: 0 }), 4096));
    const read = await snapshotJson(body, new AbortController().signal);
    expect(body.wasPaused()).toBe(false);
    expect(read).toEqual({ content: snapshot });
  });

  it('is read no further than 64 MiB of compressed bytes', async () => {
    const piece = Buffer.alloc(1024 * 1024);
    let sent = 0;
    const endless = new Readable({
      read() {
        sent++;
        this.push(piece);
      },
    });
    const read = await snapshotJson(endless, new AbortController().signal);
    expect(read).toEqual({ unreadable: 'it is larger than 64 MiB' });
    expect(sent).toBeLessThanOrEqual(66);
  });

  it('is not gzipped JSON when it inflates to text that is not JSON', async () => {
    const read = await snapshotJson(Readable.from([gzipSync('{"format":1,')]), new AbortController().signal);
    expect(read).toEqual({ unreadable: 'it is not gzipped JSON' });
  });

  it('is not gzipped JSON when it is not gzip', async () => {
    const read = await snapshotJson(
      Readable.from([Buffer.from('{"format":1}')]),
      new AbortController().signal,
    );
    expect(read).toEqual({ unreadable: 'it is not gzipped JSON' });
  });
});
