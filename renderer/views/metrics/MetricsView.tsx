// Metrics & SLOs: per inference service request rate, errors, latency, tokens and GPU cost; SLOs with
// error budget and burn rates; the PromQL explorer; and the rules export.
import { useEffect, useMemo } from 'react';
import { useLiveRefresh } from '../../components/use-live-refresh';
import { useAppStore } from '../../stores/app-store';
import { metricsRefreshMs, useMetricsStore } from '../../stores/metrics-store';
import { RangePicker } from '../../components/RangePicker';
import { ServiceCharts } from './ServiceCharts';
import { SloCards } from './SloCards';
import { Explorer } from './Explorer';
import { PrometheusSource } from '../../components/PrometheusSource';
import { StaleBanner } from '../../components/StaleBanner';
import { useNoMetricsSource } from '../../components/metrics-source-state';
import '../../components/charts/charts.css';
import './metrics-layout.css';

export default function MetricsView() {
  const context = useAppStore((s) => s.activeContext);
  const { range, setRange, services, slos, servicesError, slosError, load, loadNames, rules, exportRules } = useMetricsStore();
  // Without any Prometheus the source line says so once; the panels do not repeat it.
  const noSource = useNoMetricsSource(context);

  useEffect(() => {
    if (!context) return;
    void loadNames(context);
  }, [context, loadNames]);

  // eslint-disable-next-line react-hooks/exhaustive-deps -- range is read by load() from the store: a change must refetch
  const refresh = useMemo(() => (context ? () => load(context) : undefined), [context, range, load]);
  useLiveRefresh(refresh, range.preset !== 'custom', metricsRefreshMs);

  return (
    <div className="view metrics-view" data-testid="view-metrics">
      <header className="view-head">
        <h1>Metrics &amp; SLOs</h1>
        <RangePicker value={range} onChange={setRange} />
        {context ? <PrometheusSource context={context} onChanged={() => void load(context)} /> : null}
      </header>
      {noSource ? null : <StaleBanner freshness={services?.freshness} error={services ? undefined : servicesError} what="service metrics" />}
      <section aria-label="SLOs" data-testid="slo-panel">
        <div className="section-head">
          <h2>Service level objectives</h2>
          {context ? (
            <button type="button" onClick={() => void exportRules(context)}>
              Export Prometheus rules
            </button>
          ) : null}
        </div>
        {slosError && !slos && !noSource ? (
          <div className="banner error" role="alert">
            {slosError.message}
          </div>
        ) : null}
        {slos?.problems.map((p) => (
          <div key={p} className="banner warning" role="alert">
            {p}
          </div>
        ))}
        {slos ? <SloCards slos={slos.slos} /> : noSource ? <p className="muted">No SLOs without a metrics source.</p> : !slosError ? <p className="muted">Evaluating SLOs…</p> : null}
        {rules ? (
          <details open className="rules-export">
            <summary>Recording and alerting rules (checked with promtool)</summary>
            <a download="flightdeck-slo-rules.yml" href={`data:text/yaml;charset=utf-8,${encodeURIComponent(rules)}`}>
              Download flightdeck-slo-rules.yml
            </a>
            <pre className="mono promql">{rules}</pre>
          </details>
        ) : null}
      </section>
      <section aria-label="Inference services">
        <h2>Inference services {services ? <span className="muted">({services.services.join(', ') || 'none found'})</span> : null}</h2>
        {services ? <ServiceCharts data={services} /> : noSource ? <p className="muted">No service metrics without a metrics source.</p> : !servicesError ? <p className="muted">Loading service metrics…</p> : null}
      </section>
      {context ? <Explorer context={context} /> : null}
    </div>
  );
}
