// PromQL explorer: metric-name completion from Prometheus, a graph and a table of the result.
import { useMemo, useState } from 'react';
import { EChart } from '../../components/charts/EChart';
import { LINE_COLORS, type ChartOption } from '../../components/charts/echarts';
import { useMetricsStore } from '../../stores/metrics-store';

const labelText = (labels: Record<string, string>) => {
  const { __name__: name, ...rest } = labels;
  const inner = Object.entries(rest)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  return `${name ?? ''}{${inner}}`;
};

export function Explorer({ context }: { context: string }) {
  const { explorer, names, runQuery } = useMetricsStore();
  const [query, setQuery] = useState(explorer.query);
  const lastWord = /[A-Za-z_:][A-Za-z0-9_:]*$/.exec(query)?.[0] ?? '';
  const suggestions = useMemo(() => (lastWord.length >= 2 ? names.filter((n) => n.startsWith(lastWord) && n !== lastWord).slice(0, 8) : []), [names, lastWord]);
  const graph = explorer.graph;
  const option = useMemo<ChartOption | undefined>(() => {
    if (!graph) return undefined;
    return {
      animation: false,
      color: LINE_COLORS,
      grid: { left: 60, right: 16, top: 16, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'time', axisLabel: { hideOverlap: true, formatter: '{HH}:{mm}' } },
      yAxis: { type: 'value' },
      series: graph.series.slice(0, 50).map((s) => ({
        type: 'line',
        name: labelText(s.labels),
        showSymbol: false,
        data: s.values.map((v, i) => [(graph.start + i * graph.step) * 1000, v]),
      })),
    };
  }, [graph]);
  return (
    <section className="panel explorer" aria-label="PromQL explorer" data-testid="promql-explorer">
      <h2>PromQL explorer</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void runQuery(context, query);
        }}
      >
        <input className="mono promql-input" aria-label="PromQL query" value={query} onChange={(e) => setQuery(e.target.value)} spellCheck={false} />
        <button type="submit" className="primary" disabled={explorer.running}>
          Run
        </button>
      </form>
      {suggestions.length ? (
        <ul className="suggestions" aria-label="Metric names">
          {suggestions.map((s) => (
            <li key={s}>
              <button type="button" className="linkish mono" onClick={() => setQuery(query.slice(0, query.length - lastWord.length) + s)}>
                {s}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {explorer.error ? (
        <div className="banner error" role="alert">
          {explorer.error}
        </div>
      ) : null}
      {option ? <EChart option={option} style={{ height: 220 }} /> : null}
      {explorer.table ? (
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th>Series</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {explorer.table.rows.slice(0, 200).map((r, i) => (
                <tr key={i}>
                  <td className="mono">{labelText(r.labels)}</td>
                  <td className="mono">{r.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
