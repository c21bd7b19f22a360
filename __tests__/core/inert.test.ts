import { describe, expect, it } from '@jest/globals';
import { escapeHtml, inertDeep, inertJson, inertText } from '../../src/core/inert.js';
import { legacyCommandNames, runnerCommand } from '../harness/secret-scan.js';

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

  it('breaks every legacy `##[` command, wherever it is in the text, by showing its `#` as %23', () => {
    expect(inertText('denied ##[add-mask]s3cret ###[warning]pwned ##[stop-commands]t0k3n')).toBe(
      'denied %23%23[add-mask]s3cret #%23%23[warning]pwned %23%23[stop-commands]t0k3n',
    );
    expect(inertText('#[x] # [y] ## [z] #')).toBe('#[x] # [y] ## [z] #');
  });

  it('breaks a `::` at the start of the text, which may be the start of a line, by showing its first `:` as %3A', () => {
    expect(inertText('::stop-commands::t0k3n')).toBe('%3A:stop-commands::t0k3n');
    expect(inertText(' \t::add-mask::s3cret')).toBe(' \t%3A:add-mask::s3cret');
    expect(inertText('role a::b, c:d')).toBe('role a::b, c:d');
  });

  it('keeps %23 and %3A unambiguous: a server that sends them sees them shown, and the runner cannot decode them back', () => {
    const text = inertText('%23%23[add-mask]x');
    expect(text).toBe('%2523%2523[add-mask]x');
    // The runner decodes a `::` command's data once (%25, %0D, %0A): that gives the text back, not `##[`.
    const decoded = text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
    expect(decoded).toBe('%23%23[add-mask]x');
  });

  it('no hostile text reaches the runner as a command: as a log line, as annotation data, or as an output a workflow echoes', () => {
    const escapeData = (t: string) => t.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    const decodeData = (t: string) => t.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
    const catalogue = [
      HOSTILE,
      '##[stop-commands]t0k3n',
      'reason: ##[add-mask]s3cret',
      '::warning::x ##[set-output name=status;]SUCCEEDED',
      '##[##[warning]pwned',
      '#\u200B#[add-mask]s3cret',
      '  ::stop-commands::t0k3n',
      '%23%23[warning]pwned',
      'x\r##[error]cr',
    ];
    for (const text of catalogue) {
      const inert = inertText(text);
      const annotation = `::warning::${escapeData(inert)}`;
      const lines = [inert, `reason: ${inert}`, escapeHtml(text), decodeData(escapeData(inert))];
      expect([text, lines.map((line) => runnerCommand(line) ?? null)]).toEqual([text, lines.map(() => null)]);
      expect([text, runnerCommand(annotation)?.name]).toEqual([text, 'warning']);
      expect([text, [...lines, annotation].flatMap(legacyCommandNames)]).toEqual([text, []]);
    }
  });

  it('JSON for an output carries no `##[` either, and still parses back to the same value', () => {
    const value = { principal: 'x ##[add-mask]s3cret', nested: ['\\##[warning]pwned'] };
    const json = inertJson(value);
    expect(json).not.toContain('##[');
    expect(json).toContain('x \\u0023\\u0023[add-mask]s3cret');
    expect(JSON.parse(json)).toEqual(value);
  });
});
