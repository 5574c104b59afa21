// Each SLO: SLI, error budget (consumed over the data there is), and the multi-window multi-burn-rate
// state with its PromQL. Cards are in triage order (paging first, within budget last).
import type { SloStatus } from '../../../shared/contract/metrics';
import { budgetText, coverageText } from '../../../shared/model/slo';
import { sortSlosForTriage } from './slo-order';

const pct = (v: number | null, digits = 3) => (v === null ? '—' : `${(v * 100).toFixed(digits)}%`);
const burn = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)}×`);
const STATE_TEXT: Record<SloStatus['state'], string> = {
  ok: 'Within budget',
  ticket: 'Ticket: budget burning',
  page: 'Page: budget burning fast',
  exhausted: 'Budget exhausted',
  'not-enough-data': 'Not enough data',
  'no-data': 'No traffic',
  invalid: 'Cannot evaluate',
};

export function SloCards({ slos }: { slos: SloStatus[] }) {
  if (!slos.length) return <p className="muted">No SLOs: add a YAML file per service to resources/slo/.</p>;
  return (
    <div className="slo-cards">
      {sortSlosForTriage(slos).map((s) => {
        const { budget } = s;
        const width = budget.remaining === null ? 0 : Math.max(0, Math.min(100, budget.remaining * 100));
        const partial = budget.coverageSeconds === null || budget.coverageSeconds < budget.periodSeconds;
        return (
          <article key={`${s.service}-${s.slo}`} className={`panel slo-card state-${s.state}`} data-testid="slo-card" aria-label={`${s.service} ${s.slo} SLO`}>
            <header>
              <h3>
                {s.service} <span className="muted">· {s.slo}</span>
              </h3>
              <span className={`badge state-${s.state}`}>{STATE_TEXT[s.state]}</span>
            </header>
            <p className="muted">
              {s.title} over {s.period} (objective {pct(s.objective, 2)})
            </p>
            {s.problem ? (
              <p role="alert" className="health-failing" data-testid="slo-problem">
                {s.problem}
              </p>
            ) : null}
            <dl className="slo-figures">
              <div>
                <dt>SLI</dt>
                <dd data-testid="slo-sli">{pct(s.sli)}</dd>
              </div>
              <div>
                <dt>{partial ? 'Error budget' : 'Error budget left'}</dt>
                <dd data-testid="slo-budget" className={budget.consumed !== null && budget.consumed > 1 ? 'health-failing' : ''}>
                  {budgetText(budget)}
                </dd>
              </div>
              <div>
                <dt>Based on</dt>
                <dd data-testid="slo-coverage" className="coverage">
                  {coverageText(budget)}
                </dd>
              </div>
            </dl>
            <div className="budget-bar" role="meter" aria-label="Error budget left" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(width)}>
              <span style={{ width: `${width}%` }} className={width < 25 ? 'low' : ''} />
            </div>
            <table className="data burn-table">
              <thead>
                <tr>
                  <th>Windows</th>
                  <th>Threshold</th>
                  <th>Long burn</th>
                  <th>Short burn</th>
                  <th>State</th>
                </tr>
              </thead>
              <tbody>
                {s.windows.map((w) => (
                  <tr key={w.long} className={w.firing ? 'firing' : ''} title={w.query}>
                    <td>
                      {w.long}/{w.short} <span className="muted">{w.severity}</span>
                    </td>
                    <td>{w.factor}×</td>
                    <td>{burn(w.longBurn)}</td>
                    <td>{burn(w.shortBurn)}</td>
                    <td>{w.firing ? <b className="health-failing">firing</b> : <span className="health-ok">ok</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <details>
              <summary className="muted">Exact PromQL</summary>
              <p className="muted">SLI:</p>
              <pre className="mono promql">{s.queries.sli}</pre>
              {s.windows.map((w) => (
                <div key={w.long}>
                  <p className="muted">
                    {w.severity} {w.long}/{w.short} at {w.factor}×:
                  </p>
                  <pre className="mono promql">{w.query}</pre>
                </div>
              ))}
              <p className="muted">From {s.file}</p>
            </details>
          </article>
        );
      })}
    </div>
  );
}
