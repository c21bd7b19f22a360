// How deep a JSON text nests, found as its bytes arrive and before any of it is parsed: a snapshot
// object is the bucket's, and JSON nested without end (a few hundred kilobytes gzipped) would take
// the step's memory in JSON.parse. Only `{`, `[`, `}`, `]` and `"` outside strings count; every
// one is ASCII, which no byte of a multi-byte UTF-8 character is, so the bytes are read as they
// come. Pure.

/**
 * The deepest a snapshot's JSON may nest. The format nests 5 deep (the snapshot, its places, a
 * place's list, a principal: format.ts; a kept set content's boundary reference:
 * set-contents.ts); the margin is for fields a format adds, which it checks itself. A text deeper than this is none the format writes.
 */
export const SNAPSHOT_MAX_DEPTH = 8;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export interface NestingScan {
  /** Reads the next bytes; false once the text has nested deeper than the limit. */
  feed(bytes: Uint8Array): boolean;
}

export function nestingScan(limit: number = SNAPSHOT_MAX_DEPTH): NestingScan {
  let depth = 0;
  let inString = false;
  let escaped = false;
  return {
    feed(bytes) {
      // An indexed loop: a typed array's iterator is about 8 times slower, on 64 MiB read byte by byte.
      for (let i = 0; i < bytes.length; i++) {
        const byte = bytes[i];
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === BACKSLASH) escaped = true;
          else if (byte === QUOTE) inString = false;
        } else if (byte === QUOTE) inString = true;
        else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
          if (++depth > limit) return false;
        } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
      }
      return true;
    },
  };
}
