import { describe, expect, it } from '@jest/globals';
import {
  code,
  linked,
  shownTime,
  tableHead,
  tableRow,
  SHOWN_CHARACTERS,
} from '../../src/core/inert-markdown.js';
import { render } from '../operations/review/model/render-markdown.js';

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '[click](https://evil.example)',
  '![x](https://evil.example/p.png)',
  '@everyone #1 https://evil.example',
  'a | b | c',
  '`` ` ``` code',
  '`starts with a backtick',
  '**bold** _it_ ~~s~~',
  'line\nbreak\r\n::error::forged',
  '##[warning]legacy',
  '\u202eevil\u200b',
  '<!-- cloud-access-review campaign=x -->',
];

describe('server text in a campaign issue is inert Markdown', () => {
  it.each(HOSTILE)('renders %j as one code span in one cell, never as markup', (text) => {
    const html = render([...tableHead(['A', 'B']), tableRow([code(text), 'after'])].join('\n'));
    const cells = html.match(/<td>[\s\S]*?<\/td>/g) ?? [];
    expect(cells).toHaveLength(2);
    expect(cells[0]).toMatch(/^<td><code>[\s\S]*<\/code><\/td>$/);
    expect(cells[1]).toBe('<td>after</td>');
    expect(html).not.toMatch(/<img|<a |<strong|<em|<del|<!--/);
  });

  it('keeps no line break, control or format character', () => {
    expect(code('a\nb\r\u202ec')).not.toMatch(/[\n\r\u202e]/);
  });

  it('shows at most a few hundred characters of one value', () => {
    expect(code('x'.repeat(10_000)).length).toBeLessThan(SHOWN_CHARACTERS + 10);
  });

  it('shows no value as a dash', () => {
    expect([code(null), code(undefined), code('')]).toEqual(['—', '—', '—']);
  });

  it('links only a plain https address', () => {
    expect(linked('x', 'https://github.com/o/r/issues/1#issuecomment-2')).toBe(
      '[x](https://github.com/o/r/issues/1#issuecomment-2)',
    );
    for (const url of [
      'javascript:alert(1)',
      'https://a.example/x) [y](z',
      'http://a.example',
      'https://a b',
    ])
      expect(linked('x', url)).toBe('x');
  });

  it('shows times to the minute in UTC', () => {
    expect(shownTime('2026-07-01T10:20:30.400Z')).toBe('2026-07-01 10:20 UTC');
    expect(shownTime(null)).toBe('—');
    expect(shownTime('<b>soon</b>')).toBe('`<b>soon</b>`');
  });
});
