/** A list input: values separated by newlines or commas, trimmed, empty entries dropped. */
export function parseList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** Keeps the first of each value, comparing by `key`. */
export function unique<T>(values: T[], key: (value: T) => string = String): T[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const k = key(value);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** "did you mean `A`, `B`?" with the candidates closest to `wanted`; undefined when there are none. */
export function didYouMean(wanted: string, candidates: string[]): string | undefined {
  const close = closestNames(wanted, candidates);
  return close.length > 0 ? `did you mean ${close.map((n) => `\`${n}\``).join(', ')}?` : undefined;
}

/** The candidates closest to `wanted` (case-insensitive), best first. */
export function closestNames(wanted: string, candidates: string[], count = 3): string[] {
  const w = wanted.toLowerCase();
  return [...candidates]
    .map((name) => {
      const n = name.toLowerCase();
      const distance = n.includes(w) || w.includes(n) ? 0 : editDistance(w, n);
      return { name, distance };
    })
    .sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name))
    .slice(0, count)
    .map((c) => c.name);
}
