import { describe, expect, it } from '@jest/globals';
import { describeDuration, parseDuration, parseServiceDuration } from '../../src/core/duration.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('the duration input takes ISO 8601 and the short forms', () => {
  it.each([
    ['PT2H', 'PT2H', 2 * HOUR],
    ['P1D', 'P1D', DAY],
    ['P1DT12H', 'P1DT12H', 36 * HOUR],
    ['PT90M', 'PT1H30M', 90 * MIN],
    ['P2W', 'P14D', 14 * DAY],
    ['pt30m', 'PT30M', 30 * MIN],
    ['2h', 'PT2H', 2 * HOUR],
    ['90m', 'PT1H30M', 90 * MIN],
    ['1d', 'P1D', DAY],
    ['1h30m', 'PT1H30M', 90 * MIN],
    ['  8H ', 'PT8H', 8 * HOUR],
    ['PT300S', 'PT5M', 5 * MIN],
  ])('reads %s as %s', (text, iso, ms) => {
    expect(parseDuration(text)).toEqual({ iso, ms });
  });

  it('refuses years and months, whose length depends on the calendar', () => {
    expect(parseDuration('P1M')).toMatch(/days \(`P30D`\)/);
    expect(parseDuration('P1Y')).toMatch(/years and months/);
  });

  it.each(['', 'P', 'PT', '2 hours', 'h', '-1h', 'PT1.5H', '1h 30m', 'P1H'])('refuses %j', (text) => {
    expect(typeof parseDuration(text)).toBe('string');
  });
});

describe('durations Azure sends are read leniently', () => {
  it('reads policy maximums, with years and months as the portal offers them', () => {
    expect(parseServiceDuration('P90D')).toBe(90 * DAY);
    expect(parseServiceDuration('PT8H')).toBe(8 * HOUR);
    expect(parseServiceDuration('P1Y')).toBe(365 * DAY);
    expect(parseServiceDuration('P6M')).toBe(180 * DAY);
    expect(parseServiceDuration('PT0.5S')).toBe(500);
  });

  it('gives up on what is not a duration', () => {
    expect(parseServiceDuration('ninety days')).toBeUndefined();
    expect(parseServiceDuration('P')).toBeUndefined();
    expect(parseServiceDuration(undefined)).toBeUndefined();
  });
});

describe('durations are written for people in messages', () => {
  it('says days when whole, else the parts', () => {
    expect(describeDuration(90 * DAY)).toBe('90 days');
    expect(describeDuration(DAY)).toBe('1 day');
    expect(describeDuration(26 * HOUR + 5 * MIN)).toBe('1 d 2 h 5 min');
  });
});
