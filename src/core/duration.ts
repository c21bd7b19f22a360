// Durations: the `duration` input (ISO 8601 such as `PT2H`, or the short forms `2h`, `90m`, `1d`)
// and the durations Azure PIM policies state (`maximumDuration`: `P90D`, `PT8H`). Pure.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "Can't be assigned for a duration of less than five minutes" (Entra docs,
 * pim-resource-roles-assign-roles): a shorter request would only be refused by Azure.
 */
export const PIM_MINIMUM_MS = 5 * MINUTE;
/** The longest admin assignment a PIM policy offers ("Expire active assignments after … 1 year"). */
export const PIM_LONGEST_MS = 365 * DAY;

/**
 * CloudTrail's event history keeps 90 days: the farthest back `operation: sweep` can read on AWS.
 */
export const CLOUDTRAIL_HISTORY_MS = 90 * DAY;

/**
 * GitHub ends every workflow run within 35 days, waits and approvals included ("Workflow run time:
 * 35 days / workflow run … includes execution duration, and time spent on waiting and approval",
 * docs.github.com/en/actions/reference/limits). The sweep's default `lookback`, so no claim of a run
 * that can still be going leaves its window, and so the longest AWS `duration`: a longer one would
 * leave the window before it expires.
 */
export const LONGEST_RUN_MS = 35 * DAY;

export interface Duration {
  /** In ISO 8601, as Azure takes it: days, then hours, minutes and seconds (`P1DT2H`, `PT90M` → `PT1H30M`). */
  iso: string;
  ms: number;
}

const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const SHORT = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * A duration written as ISO 8601 weeks, days, hours, minutes and seconds, or in the short form
 * (`1d`, `2h`, `90m`, `1h30m`); the reason when it is neither. Years and months are refused: their
 * length depends on the calendar, and Azure's policies count in days.
 */
export function parseDuration(text: string): Duration | string {
  const written = text.trim();
  const upper = written.toUpperCase();
  const iso = ISO.exec(upper);
  if (iso && upper !== 'P' && !upper.endsWith('T')) {
    const [, w, d, h, m, s] = iso;
    return fromParts({ days: num(w) * 7 + num(d), hours: num(h), minutes: num(m), seconds: num(s) });
  }
  if (/^P(\d+Y|\d+M)/.test(upper) || /^P[^T]*\d+M/.test(upper))
    return 'years and months are not fixed lengths: write them in days (`P30D`) or weeks (`P4W`)';
  const short = SHORT.exec(written.toLowerCase());
  if (short && written !== '') {
    const [, d, h, m, s] = short;
    return fromParts({ days: num(d), hours: num(h), minutes: num(m), seconds: num(s) });
  }
  return 'is neither an ISO 8601 duration (`PT2H`, `P1D`, `P1DT12H`) nor a short one (`2h`, `90m`, `1d`, `1h30m`)';
}

/**
 * A duration Azure sent (a policy's `maximumDuration`): years and months are read as Azure's
 * portal offers them (a year as 365 days, a month as 30), since a policy may state them so.
 * Undefined when it cannot be read.
 */
export function parseServiceDuration(text: string | undefined): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match =
    /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      text.trim().toUpperCase(),
    );
  if (!match || text.trim().length <= 1) return undefined;
  const [, y, mo, w, d, h, mi, s] = match;
  return (
    (num(y) * 365 + num(mo) * 30 + num(w) * 7 + num(d)) * DAY +
    num(h) * HOUR +
    num(mi) * MINUTE +
    Math.round(Number(s ?? 0) * SECOND)
  );
}

/** `2 h`, `1 d 12 h`, `90 days`: a duration as people read it, for messages. */
export function describeDuration(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY} day${ms === DAY ? '' : 's'}`;
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ['d', DAY],
    ['h', HOUR],
    ['min', MINUTE],
    ['s', SECOND],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${unit}`);
    rest -= n * size;
  }
  return parts.join(' ') || '0 s';
}

function fromParts(parts: { days: number; hours: number; minutes: number; seconds: number }): Duration {
  const ms = parts.days * DAY + parts.hours * HOUR + parts.minutes * MINUTE + parts.seconds * SECOND;
  return { iso: isoOf(ms), ms };
}

function isoOf(ms: number): string {
  if (ms === 0) return 'PT0S';
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const seconds = Math.floor((ms % MINUTE) / SECOND);
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

function num(text: string | undefined): number {
  return text === undefined ? 0 : Number(text);
}

/**
 * A time for a person to read, from epoch ms that may come from anywhere (a session name, a
 * marker, a server): ISO 8601 when it is a time a Date can hold, else the number as given. Never
 * throws, so one odd value never stops a step.
 */
export function safeIso(ms: number): string {
  const date = new Date(ms);
  return Number.isFinite(date.getTime()) ? date.toISOString() : `epoch ms ${String(ms)}`;
}
