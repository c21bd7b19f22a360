// ISO 8601 durations as PIM takes them: "Duration … in TimeSpan" (swagger), "Use ISO 8601 format",
// e.g. P30D, PT8H (rest-sample). Years and months have no fixed length; like .NET's
// XmlConvert.ToTimeSpan, which turns such strings into a TimeSpan, a year counts 365 days and a
// month 30. Weeks (PnW) are accepted too.

const UNITS_MS = {
  Y: 365 * 86_400_000,
  M: 30 * 86_400_000,
  W: 7 * 86_400_000,
  D: 86_400_000,
  H: 3_600_000,
  TM: 60_000,
  S: 1_000,
} as const;

const DURATION =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** Milliseconds, or undefined when `text` is not an ISO 8601 duration ("P", "PT" and "P1DT" are not). */
export function parseIsoDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m || /T$/i.test(text.trim()) || m.slice(1).every((part) => part === undefined)) return undefined;
  const [, y, mo, w, d, h, mi, s] = m;
  const parts: [string | undefined, number][] = [
    [y, UNITS_MS.Y],
    [mo, UNITS_MS.M],
    [w, UNITS_MS.W],
    [d, UNITS_MS.D],
    [h, UNITS_MS.H],
    [mi, UNITS_MS.TM],
    [s, UNITS_MS.S],
  ];
  return Math.round(parts.reduce((total, [value, unit]) => total + (value ? Number(value) * unit : 0), 0));
}
