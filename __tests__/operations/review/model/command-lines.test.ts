import { describe, expect, it } from '@jest/globals';
import { isNearMiss, shownLines } from '../../../../src/operations/review/model/command-lines.js';
import { render } from './render-markdown.js';

/** What a browser shows of rendered HTML: its comments are not. */
const seen = (body: string) => render(body).replace(/<!--[\s\S]*?-->/g, '');

describe('the lines a reader sees as lines of their own', () => {
  it('keeps the lines GitHub shows as written', () => {
    expect(shownLines('/keep all\r\nlooks right')).toEqual(['/keep all', 'looks right']);
  });

  it('hides an HTML comment, to its end or to the end of the comment', () => {
    expect(shownLines('a\n<!--\n/keep all\n-->\nb')).toEqual(['a', '', 'b']);
    expect(shownLines('a\n<!-- never closed\n/keep all')).toEqual(['a', '']);
  });

  it.each([
    ['a code span', 'An HTML comment opens with `<!--`, as here.\n\n/keep all'],
    ['a longer code span', 'See ``<!-- ` -->`` and ``<!--``.\n\n/keep all'],
    ['a fenced code block', '```html\n<!-- a note\n```\n/keep all'],
  ])('opens no HTML comment inside %s: the lines after it are shown, and read', (_, body) => {
    expect(seen(body)).toContain('<p>/keep all</p>');
    expect(shownLines(body)).toContain('/keep all');
  });

  it('still hides a comment that opens after a code span on the same line', () => {
    const body = 'Use `x` <!-- hidden\n/keep all\n-->\n/keep bbbbbbbb';
    expect(seen(body)).not.toContain('/keep all');
    expect(shownLines(body)).not.toContain('/keep all');
    expect(shownLines(body)).toContain('/keep bbbbbbbb');
  });

  it('hides a quote and the lazy lines that go on its paragraph, up to a blank line', () => {
    expect(shownLines('> /keep all\n/revoke aaaaaaaa gone\n\n/keep bbbbbbbb')).toEqual([
      '',
      '/keep bbbbbbbb',
    ]);
  });

  it('hides a fenced code block until the same fence, at least as long, closes it', () => {
    expect(shownLines('````\n/keep all\n```\n/keep all\n````\nafter')).toEqual(['after']);
    expect(shownLines('~~~\n/keep all\n```\n/keep all\n~~~\nafter')).toEqual(['after']);
  });

  it('takes ``` followed by a backtick on its line for a code span, not a fence', () => {
    expect(shownLines('```x` y\n/keep all')).toEqual(['```x` y', '/keep all']);
  });

  it('hides a line indented 4 spaces or a tab', () => {
    expect(shownLines('    /keep all\n\t/keep all\n   /keep all')).toEqual(['   /keep all']);
  });
});

describe('a line that nearly names a command', () => {
  it.each(['/keeps all', '/kep all', '/revoked aaaaaaaa x', '/revok aaaaaaaa', '/rvoke aaaaaaaa'])(
    '%s is a near miss',
    (line) => expect(isNearMiss(line)).toBe(true),
  );

  it.each(['/deploy now', 'keep all', '/lgtm', 'thanks'])('%s is not', (line) =>
    expect(isNearMiss(line)).toBe(false),
  );
});
