// GitHub-flavoured Markdown rendered as GitHub renders an issue body (raw HTML let through, as
// GitHub sanitises it afterwards), for the review's tests of what its issues show.
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

export const render = (markdown: string): string =>
  micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });

/** The cells of each body row of every table in the rendered HTML. */
export function tableCells(html: string): string[][] {
  const body = [...html.matchAll(/<tbody>([\s\S]*?)<\/tbody>/g)].map((m) => m[1]!).join('');
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) =>
    [...tr[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((td) => td[1]!),
  );
}
