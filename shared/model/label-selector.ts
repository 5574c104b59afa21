// A LabelSelector object ({matchLabels, matchExpressions}) as the string form kubectl and the API's
// `labelSelector=` take: `app=web,tier in (a,b)`. Used by the demo API's printers and by log
// follows, which ask the API server for a workload's pods by its selector.
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function formatLabelSelector(sel: LabelSelectorObject | undefined): string {
  if (!sel) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'exists') parts.push(e.key);
    else if (op === 'doesnotexist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
  }
  return parts.sort().join(',');
}
