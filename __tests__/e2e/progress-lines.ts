// The lines a step prints while it waits (src/engine/calls/progress.ts), as the long-wait tests
// read them from its output.

export const progressLines = (stdout: string) =>
  stdout.split('\n').filter((l) => l.startsWith('still working after '));
export const readLines = (stdout: string) =>
  stdout.split('\n').filter((l) => l.startsWith('still reading after '));

/**
 * The seconds each line says it has been working or reading, each given as its due second where it
 * is that second or the next: a line says the time it was printed, and on a busy machine its timer
 * can fire half a second late (`after 11 s` for the line due at 10). Later is left as it is, to fail.
 */
export const dueSecondsOf = (lines: string[], due: number[]) =>
  lines.map((l, i) => {
    const said = Number(/^still (?:working|reading) after (\d+) s/.exec(l)![1]);
    return said === due[i]! + 1 ? due[i]! : said;
  });

/** A line's `10 s` as a pattern that also takes the next second, for the same late timer. */
export const dueAt = (seconds: number) => `(?:${seconds}|${seconds + 1}) s`;
