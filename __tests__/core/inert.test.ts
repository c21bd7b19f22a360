import { describe, expect, it } from '@jest/globals';
import { escapeHtml, inertDeep, inertJson, inertText } from '../../src/core/inert.js';

const HOSTILE =
  'x\n::warning::pwned\r::add-mask::s3cret %0A \u202Egnp.exe\u200B <img src=x onerror=alert(1)>';

describe('server text is made inert', () => {
  it('escapes %, CR and LF as the runner does, so the text stays on one line', () => {
    const text = inertText(HOSTILE);
    expect(text).not.toMatch(/[\r\n]/);
    expect(text).toContain('x%0A::warning::pwned%0D::add-mask::s3cret %250A');
  });

  it('shows invisible and direction-changing characters instead of obeying them', () => {
    expect(inertText('a\u202Eb\u200Bc\u00ADd\u2028e\u0085f')).toBe(
      'a%E2%80%AEb%E2%80%8Bc%C2%ADd%E2%80%A8e%C2%85f',
    );
    expect(inertText('tab\tstays')).toBe('tab\tstays');
  });

  it('HTML-escapes for the job summary', () => {
    const html = escapeHtml(HOSTILE);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('JSON for an output is one line and parses back to the same value', () => {
    const value = { reason: HOSTILE, nested: ['\u2029'] };
    const json = inertJson(value);
    expect(json).not.toMatch(/[\r\n\u2028\u2029\u202E\u200B]/);
    expect(JSON.parse(json)).toEqual(value);
    expect(JSON.parse(inertJson('\u{E0001}'))).toBe('\u{E0001}');
  });

  it('inertDeep reaches every string of a value', () => {
    expect(inertDeep({ a: ['x\ny'], b: 1 })).toEqual({ a: ['x%0Ay'], b: 1 });
  });
});
