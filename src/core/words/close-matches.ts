/**
 * "Did you mean …?": the listed names closest to what someone typed. One rule for every such hint: a model id
 * the endpoint does not serve, a CLI command or option that does not exist.
 */

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Up to `max` listed ids that look like what the user meant (case, tags, typos, substrings). */
export function closeMatches(ids: string[], model: string, max = 3): string[] {
  const want = model.toLowerCase();
  const scored = ids.map((id) => {
    const have = id.toLowerCase();
    const base = have.replace(/:latest$/, '');
    let score = editDistance(want, have);
    if ((want.length >= 3 && have.includes(want)) || (base.length >= 3 && want.includes(base)))
      score = Math.min(score, 1);
    return { id, score, limit: Math.max(2, Math.floor(Math.max(want.length, have.length) / 3)) };
  });
  return scored
    .filter((s) => s.score <= s.limit)
    .sort((a, b) => a.score - b.score || a.id.localeCompare(b.id))
    .slice(0, max)
    .map((s) => s.id);
}
