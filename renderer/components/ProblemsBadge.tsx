// Header problem badge (issue 17): how many things are wrong and how bad the worst is, at a glance
// from every view; a click opens the list — what, where, since when, and a link to the place to act.
import { useEffect, useState } from 'react';
import type { Problem, ProblemSeverity } from '../../shared/contract/problems';
import { useAppStore } from '../stores/app-store';
import { useProblemsStore, withLocalProblems } from '../stores/problems-store';
import { since } from './StatusIndicator';
import './triage.css';

const SEVERITIES: ProblemSeverity[] = ['P1', 'P2', 'P3', 'P4'];

/** Where a problem's link goes: its view, in its context, with the object selected. */
export function problemHref(link: Problem['link']): string {
  return `#/${link.view}${link.select ? `?select=${encodeURIComponent(link.select)}` : ''}`;
}

export function ProblemsBadge() {
  const context = useAppStore((s) => s.activeContext);
  const link = useAppStore((s) => s.link);
  const setActiveContext = useAppStore((s) => s.setActiveContext);
  const { problems, at, error, open, setOpen, watch } = useProblemsStore();
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => watch(context), [context, watch]);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  const all = withLocalProblems(problems, link, at, error, now);
  const counts = SEVERITIES.map((s) => [s, all.filter((p) => p.severity === s).length] as const).filter(([, n]) => n > 0);
  const worst = counts[0]?.[0];
  const go = (p: Problem) => {
    setOpen(false);
    if (p.link.context && p.link.context !== context) setActiveContext(p.link.context);
    window.location.hash = problemHref(p.link);
  };

  return (
    <div className="problems">
      <button
        type="button"
        className={`problems-badge ${worst ? `sev-${worst}` : 'sev-none'}`}
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        aria-label={all.length === 0 ? 'No problems' : `${all.length} ${all.length === 1 ? 'problem' : 'problems'}: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}`}
        data-testid="problems-badge"
      >
        {all.length === 0 ? (
          '✓ no problems'
        ) : (
          <>
            <span aria-hidden="true">⚠</span>
            {counts.map(([s, n]) => (
              <span key={s} className={`sev sev-${s}`}>
                {s} {n}
              </span>
            ))}
          </>
        )}
      </button>
      {open && (
        <div className="problems-panel" role="dialog" aria-label="Problems" data-testid="problems-list">
          <header>
            <strong>Problems</strong>
            <span className="muted">{at ? `checked ${since(at, now)} ago` : 'checking…'}</span>
            <button type="button" className="ghost" onClick={() => setOpen(false)} aria-label="Close problems">
              ✕
            </button>
          </header>
          {all.length === 0 && <p className="muted">Nothing is failing: no failing workloads, every context live, data current.</p>}
          <ul>
            {all.map((p) => (
              <li key={p.id} className={`problem sev-${p.severity}`} data-testid={`problem-${p.source}`}>
                <span className={`sev sev-${p.severity}`}>{p.severity}</span>
                <div className="problem-body">
                  <div className="problem-what">{p.what}</div>
                  <div className="muted">
                    {p.where}
                    {p.since ? ` · since ${new Date(p.since).toLocaleTimeString()} (${since(Date.parse(p.since), now)})` : ''}
                  </div>
                </div>
                <a
                  href={problemHref(p.link)}
                  onClick={(e) => {
                    e.preventDefault();
                    go(p);
                  }}
                >
                  {p.link.label} →
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
