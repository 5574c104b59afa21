// Runbooks: the library (search by title, tag, alert), a runbook rendered as documentation with
// its steps inline, and runs: step by step or to the end, live output, exit code and duration;
// action steps through the action road's confirm dialog; past runs readable offline, resumable
// after a crash, exportable as a markdown report. Read-only sessions read and never run.
import { useCallback, useEffect, useState } from 'react';
import { getApi } from '../../api/client';
import { useAppStore } from '../../stores/app-store';
import { openTerminal } from '../../stores/terminal-store';
import { useRunbooksStore } from '../../stores/runbooks-store';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import type { RunbookDoc, RunState } from '../../../shared/contract/runbooks';
import { Markdown } from './Markdown';
import { StepCard } from './StepCard';
import './runbooks.css';

function Library() {
  const { query, runbooks, runs, folders, libraryProblems, loadLibrary, openRunbook, openRun, addFolder, doc, run } = useRunbooksStore();
  const readOnly = useAppStore((s) => s.info?.readOnly ?? true);
  const [folder, setFolder] = useState('');
  return (
    <aside className="rb-library" aria-label="Runbook library">
      <input type="search" aria-label="Search runbooks" placeholder="Search title, tag or alert…" value={query} onChange={(e) => void loadLibrary(e.target.value)} />
      <ul className="rb-list" data-testid="runbook-list">
        {runbooks.map((r) => (
          <li key={r.id}>
            <button className={doc?.id === r.id && !run ? 'rb-item selected' : 'rb-item'} onClick={() => void openRunbook(r.id)} title={r.file}>
              <span className="rb-item-title">{r.title}</span>
              <span className="rb-item-meta">
                {r.alerts.map((a) => (
                  <span key={a} className="pill rb-alert">
                    {a}
                  </span>
                ))}
                {r.tags.map((t) => (
                  <span key={t} className="rb-tag">
                    #{t}
                  </span>
                ))}
                {r.problems > 0 && <span className="pill pill-warning">{r.problems} problem(s)</span>}
              </span>
            </button>
          </li>
        ))}
        {runbooks.length === 0 && <li className="muted">No runbook matches.</li>}
      </ul>
      {libraryProblems.length > 0 && (
        <details className="rb-problems">
          <summary>{libraryProblems.length} problem(s) in the library</summary>
          <ul>
            {libraryProblems.map((p, i) => (
              <li key={i}>
                {p.file}:{p.line}: {p.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      <h3>Runs</h3>
      <ul className="rb-list" data-testid="run-list">
        {runs.map((r) => (
          <li key={r.runId}>
            <button className={run?.runId === r.runId ? 'rb-item selected' : 'rb-item'} onClick={() => void openRun(r.runId)}>
              <span className="rb-item-title">{r.title}</span>
              <span className="rb-item-meta">
                <span className={`pill rb-status rb-status-${r.status}`}>{r.status}</span> {r.done}/{r.total} · {new Date(r.startedAt).toLocaleString()}
              </span>
            </button>
          </li>
        ))}
        {runs.length === 0 && <li className="muted">No runs yet.</li>}
      </ul>
      {!readOnly && (
        <form
          className="rb-folder"
          onSubmit={(e) => {
            e.preventDefault();
            if (folder.trim()) void addFolder(folder.trim()).then(() => setFolder(''));
          }}
        >
          <input aria-label="Runbook folder to add" placeholder="Add a folder of .md files…" value={folder} onChange={(e) => setFolder(e.target.value)} />
          <button type="submit">Add</button>
        </form>
      )}
      <p className="muted rb-folders">Folders: {folders.join(', ')}</p>
    </aside>
  );
}

function ParamsForm({ doc, run, readOnly }: { doc: RunbookDoc; run?: RunState; readOnly: boolean }) {
  const { start, dry, resume } = useRunbooksStore();
  const context = useAppStore((s) => s.activeContext);
  const [values, setValues] = useState<Record<string, string>>({});
  useEffect(() => setValues(Object.fromEntries(doc.params.map((p) => [p.name, p.default ?? '']))), [doc]);
  const resuming = run && run.phase === 'stopped' && run.status !== 'succeeded';
  const params = resuming ? doc.params.filter((p) => p.secret) : run ? [] : doc.params;
  if (run && !resuming) return null;
  return (
    <form
      className="rb-params"
      aria-label={resuming ? 'Resume run' : 'Run parameters'}
      onSubmit={(e) => {
        e.preventDefault();
        void (resuming ? resume(values) : start(context, values));
      }}
    >
      {params.map((p) => (
        <label key={p.name}>
          <span>
            {p.prompt ?? p.name} <code>{`{{${p.name}}}`}</code>
          </span>
          <input
            type={p.secret ? 'password' : 'text'}
            autoComplete="off"
            aria-label={p.name}
            value={values[p.name] ?? ''}
            pattern={p.pattern}
            onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}
          />
        </label>
      ))}
      <div className="rb-buttons">
        {!resuming && (
          <button type="button" onClick={() => void dry(context, values)}>
            Dry run
          </button>
        )}
        <button type="submit" className="primary" disabled={readOnly} title={readOnly ? 'This is a read-only session: runbooks can be read, not run.' : undefined}>
          {resuming ? 'Resume run' : `Start run${context ? ` in ${context}` : ''}`}
        </button>
      </div>
    </form>
  );
}

function RunHeader({ run, readOnly }: { run: RunState; readOnly: boolean }) {
  const { runToEnd, exportRun, closeRun, doc } = useRunbooksStore();
  // An unattended run changes the cluster without a dialog per step, so it is confirmed once,
  // up front, with every remaining change listed.
  const [confirmingUnattended, setConfirmingUnattended] = useState(false);
  const remainingChanges = run.steps.filter((s) => s.status !== 'succeeded' && s.status !== 'skipped' && doc?.steps.find((d) => d.id === s.stepId)?.mutating);
  const download = async () => {
    const report = await exportRun();
    if (!report) return;
    const url = URL.createObjectURL(new Blob([report.markdown], { type: 'text/markdown' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = report.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const done = run.steps.filter((s) => s.status === 'succeeded' || s.status === 'skipped').length;
  return (
    <section className="rb-run" aria-label="Run" data-testid="run-header">
      <div className="rb-run-line">
        <span className={`pill rb-status rb-status-${run.status}`} data-testid="run-status">
          {run.status}
        </span>
        <span>
          Run <code>{run.runId}</code> · {done}/{run.steps.length} steps · context {run.context ?? '(none)'} · by {run.who} · {new Date(run.startedAt).toLocaleString()}
          {run.phase !== 'active' && <em> · from its journal</em>}
        </span>
      </div>
      {Object.keys(run.inputs).length > 0 && (
        <p className="muted">
          Inputs:{' '}
          {Object.entries(run.inputs)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}
        </p>
      )}
      {run.notice && (
        <p className="rb-notice" role="status">
          {run.notice}
        </p>
      )}
      {run.problems.map((p) => (
        <p key={p} className="rb-notice rb-warn">
          {p}
        </p>
      ))}
      <div className="rb-buttons">
        {run.phase === 'active' && (
          <button className="primary" disabled={readOnly || run.runningToEnd || run.status === 'running' || run.status === 'succeeded'} onClick={() => void runToEnd()}>
            Run to end
          </button>
        )}
        {run.phase === 'active' && (
          <button
            disabled={readOnly || run.runningToEnd || run.status === 'running' || run.status === 'succeeded'}
            onClick={() => setConfirmingUnattended(true)}
            title="Action steps are planned and executed through the action road without the dialog (audited; never on a production context). Manual steps still stop the run."
          >
            Run unattended
          </button>
        )}
        <button onClick={() => void download()}>Export report</button>
        <button disabled={readOnly} title="A shell on this machine; kubectl in it uses the run's context" onClick={() => openTerminal({ kind: 'local', ...(run.context ? { context: run.context } : {}) })}>
          Local shell
        </button>
        <button onClick={closeRun}>Close run</button>
      </div>
      {confirmingUnattended && (
        <div className="rb-notice rb-warn" role="alertdialog" aria-label="Confirm unattended run" data-testid="confirm-unattended">
          <p>
            <strong>Run to the end without asking?</strong> {remainingChanges.length === 0 ? 'No remaining step changes the cluster.' : `These ${remainingChanges.length} steps change context ${run.context ?? '(none)'} without a dialog each (each is still RBAC-checked and audited; actions are planned on the action road, shell and kubectl steps checked from their kubectl commands):`}
          </p>
          <ul>
            {remainingChanges.map((s) => (
              <li key={s.stepId}>
                {s.stepId} ({doc?.steps.find((d) => d.id === s.stepId)?.kind}): <code>{s.resolved}</code>
              </li>
            ))}
          </ul>
          <div className="rb-buttons">
            <button
              className="primary"
              data-testid="confirm-unattended-run"
              onClick={() => {
                setConfirmingUnattended(false);
                void runToEnd(true);
              }}
            >
              Run unattended{remainingChanges.length > 0 ? ` (${remainingChanges.length} changes)` : ''}
            </button>
            <button onClick={() => setConfirmingUnattended(false)}>Cancel</button>
          </div>
        </div>
      )}
    </section>
  );
}

export default function RunbooksView() {
  const { doc, run, dryRun, error, dialog, loadLibrary, loadRuns, confirmAction, closeDialog, planAction } = useRunbooksStore();
  const readOnly = useAppStore((s) => s.info?.readOnly ?? true);
  useEffect(() => {
    void loadLibrary();
    void loadRuns();
  }, [loadLibrary, loadRuns]);
  // `#/runbooks?open=<id>`: the Alerts view's link to an alert's runbook.
  useEffect(() => {
    const openFromHash = () => {
      const id = new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('open');
      if (id) void useRunbooksStore.getState().openRunbook(id);
    };
    openFromHash();
    window.addEventListener('hashchange', openFromHash);
    return () => window.removeEventListener('hashchange', openFromHash);
  }, []);
  const shown = run?.runbook ?? doc;
  const shownId = shown?.id;
  const loadImage = useCallback(async (src: string) => (await getApi().call('runbooks.image', { id: shownId ?? '', src })).dataUrl, [shownId]);
  const stepById = new Map((shown?.steps ?? []).map((s) => [s.id, s]));
  const card = (id: string) => {
    const step = stepById.get(id);
    if (!step) return null;
    return <StepCard key={id} step={step} state={run?.steps.find((s) => s.stepId === id)} run={run} dry={dryRun?.find((d) => d.stepId === id)?.would} readOnly={readOnly} />;
  };
  return (
    <div className="rb-view">
      <Library />
      <main className="rb-doc" aria-label="Runbook">
        {error && (
          <p className="rb-notice rb-error" role="alert">
            {error}
          </p>
        )}
        {readOnly && <p className="rb-notice">This is a read-only session: runbooks and runs can be read, nothing can be run.</p>}
        {!shown && <p className="muted">Pick a runbook or a past run.</p>}
        {shown && (
          <>
            <header className="rb-head">
              <h1>{shown.title}</h1>
              <p className="muted">
                {shown.file}
                {shown.meta.owner && ` · owner ${shown.meta.owner}`}
                {shown.meta.severity && ` · severity ${shown.meta.severity}`}
                {shown.meta.alerts?.length ? ` · answers ${shown.meta.alerts.join(', ')}` : ''}
              </p>
            </header>
            {shown.problems.length > 0 && (
              <ul className="rb-notice rb-warn" aria-label="Runbook problems">
                {shown.problems.map((p, i) => (
                  <li key={i}>
                    {p.file}:{p.line}: {p.message}
                  </li>
                ))}
              </ul>
            )}
            {run && <RunHeader run={run} readOnly={readOnly} />}
            <ParamsForm doc={shown} run={run} readOnly={readOnly} />
            {shown.segments.map((seg, i) =>
              seg.type === 'markdown' ? <Markdown key={i} text={seg.text} title={shown.title} loadImage={loadImage} /> : seg.type === 'step' ? card(seg.stepId) : <div key={i} className="rb-checklist">{seg.stepIds.map(card)}</div>,
            )}
          </>
        )}
      </main>
      {dialog && (
        <ConfirmDialog
          title={dialog.title}
          plan={dialog.plan}
          busy={dialog.busy}
          error={dialog.error}
          onConfirm={(text) => void confirmAction(text)}
          onCancel={closeDialog}
          onPrepareAgain={() => void planAction(dialog.stepId, dialog.confirmRerun)}
        />
      )}
    </div>
  );
}
