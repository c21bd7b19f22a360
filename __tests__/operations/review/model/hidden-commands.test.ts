// A command hidden where a reader sees none: in a quote nested in a list item, in a code block a
// list item fences, in a code span that runs over lines. The renderer (GitHub-flavoured Markdown)
// says what a reader sees; a line the review takes for a command must be shown as text of its own,
// outside any quote or code.
import { describe, expect, it } from '@jest/globals';
import { commandLines } from '../../../../src/operations/review/model/decisions.js';
import { render } from './render-markdown.js';

const COMMAND = '/revoke aaaaaaaa not needed';
/** Whether the rendered HTML shows the command inside a quote or code. */
const hiddenByRenderer = (body: string) => {
  const html = render(body);
  const inside = (open: string, close: string) =>
    [...html.matchAll(new RegExp(`${open}([\\s\\S]*?)${close}`, 'g'))].some((m) => m[1]!.includes(COMMAND));
  return inside('<blockquote>', '</blockquote>') || inside('<code[^>]*>', '</code>');
};

describe('a command a reader sees inside a quote or code is no command', () => {
  it.each([
    ['a quote in a list item, going on without its `>`', `- > quoted from someone\n  ${COMMAND}`],
    ['a quote in an ordered list item', `1. > quoted from someone\n   ${COMMAND}`],
    ['a quote in a nested list item', `- - > quoted\n    ${COMMAND}`],
    ['a fenced code block in a list item', `- \`\`\`\n  ${COMMAND}\n  \`\`\``],
    ['a tilde fence in an ordered list item', `1. ~~~\n   ${COMMAND}\n   ~~~`],
  ])('%s', (_, body) => {
    expect(hiddenByRenderer(body)).toBe(true);
    expect(commandLines(body)).toEqual([]);
  });

  it('still takes a command after the list and its quote end', () => {
    const body = `- > quoted\n\n${COMMAND}`;
    expect(hiddenByRenderer(body)).toBe(false);
    expect(commandLines(body)).toEqual([COMMAND]);
  });

  it('still takes a command on a list item of its own and under a plain list item', () => {
    expect(commandLines(`- item\n\n${COMMAND}`)).toEqual([COMMAND]);
    expect(commandLines(`- ${COMMAND}`)).toEqual([]);
  });
});
