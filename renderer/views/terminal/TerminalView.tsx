// The Terminal view (issue 14): tabs of pod shells and local shells, each tab one pane or two side
// by side. Shells keep running while another view is open. Read-only screens get no terminal.
import { useEffect, useState } from 'react';
import type { TerminalCapabilities } from '../../../shared/contract/terminal';
import { getApi } from '../../api/client';
import { useAppStore } from '../../stores/app-store';
import { MAX_PANES_PER_TAB, useTerminalStore, type TabState, type TerminalTarget } from '../../stores/terminal-store';
import { PodPicker } from './PodPicker';
import { TerminalPane } from './TerminalPane';
import './terminal.css';

export default function TerminalView() {
  const readOnly = useAppStore((s) => s.info?.readOnly ?? false);
  const activeContext = useAppStore((s) => s.activeContext);
  const { tabs, panes, activeTab, openTab, split, closePane, closeTab, setActiveTab } = useTerminalStore();
  const [caps, setCaps] = useState<TerminalCapabilities>();
  const [capsError, setCapsError] = useState<string>();
  const [picking, setPicking] = useState<'tab' | 'split'>();

  useEffect(() => {
    if (readOnly) return;
    getApi()
      .call('terminal.capabilities', {})
      .then(setCaps)
      .catch((e: unknown) => setCapsError(e instanceof Error ? e.message : String(e)));
  }, [readOnly]);

  if (readOnly) {
    return (
      <div className="view term-view" data-testid="view-terminal">
        <h1>Terminal</h1>
        <p className="banner warning" role="status" data-testid="terminal-readonly">
          This is a read-only screen (a war-room link): a terminal can change clusters and this machine, so none is offered here. Open the console with its own link to use one.
        </p>
      </div>
    );
  }

  const tab = tabs.find((t) => t.id === activeTab) ?? tabs[tabs.length - 1];
  const local: TerminalTarget = { kind: 'local', ...(activeContext ? { context: activeContext } : {}) };
  const canSplit = !!tab && tab.panes.length < MAX_PANES_PER_TAB;
  const openTarget = (target: TerminalTarget) => {
    if (picking === 'split' && tab) split(tab.id, target);
    else openTab(target);
    setPicking(undefined);
  };

  return (
    <div className="view term-view" data-testid="view-terminal">
      <div className="term-bar" role="toolbar" aria-label="Terminal tabs">
        <div className="term-tabs" role="tablist" aria-label="Terminals">
          {tabs.map((t) => (
            <TabButton key={t.id} tab={t} title={t.name ?? panes[t.activePane]?.title ?? 'terminal'} status={panes[t.activePane]?.status} selected={t.id === tab?.id} onSelect={() => setActiveTab(t.id)} onClose={() => closeTab(t.id)} />
          ))}
        </div>
        <button type="button" onClick={() => openTab(local)} disabled={!caps?.local} title={caps && !caps.local ? caps.localReason : `A shell on this machine; kubectl in it uses ${activeContext ?? 'the current context'}`}>
          + Local shell
        </button>
        <button type="button" onClick={() => setPicking('tab')} disabled={caps ? !caps.exec : true} title={caps?.execReason}>
          + Pod shell…
        </button>
        <span className="term-split">
          <button type="button" disabled={!canSplit || !caps?.local} onClick={() => tab && split(tab.id, local)} title="Split: a local shell beside this one">
            Split: local
          </button>
          <button type="button" disabled={!canSplit || caps?.exec === false} onClick={() => setPicking('split')} title="Split: a pod shell beside this one">
            Split: pod…
          </button>
        </span>
      </div>
      {capsError ? (
        <p className="banner error" role="alert">
          {capsError}
        </p>
      ) : null}
      {caps && !caps.local && caps.localReason ? <p className="muted term-note">Local shell unavailable: {caps.localReason}</p> : null}
      {picking || (!tabs.length && caps?.exec) ? <PodPicker onOpen={openTarget} onCancel={() => setPicking(undefined)} /> : null}
      {tab ? (
        <div className={`term-panes term-panes-${tab.panes.length}`}>
          {tab.panes.map((id) => (panes[id] ? <TerminalPane key={id} pane={panes[id]} active={tab.activePane === id} onClose={() => closePane(id)} /> : null))}
        </div>
      ) : (
        <p className="muted term-empty">
          No terminal open. Open a local shell (kubectl in it talks to {activeContext ?? 'the current context'}) or pick a pod above. Keys typed into a terminal are the shell's; Ctrl+Shift+K opens the command palette from there.
        </p>
      )}
    </div>
  );
}

function TabButton({ tab, title, status, selected, onSelect, onClose }: { tab: TabState; title: string; status?: string; selected: boolean; onSelect(): void; onClose(): void }) {
  const renameTab = useTerminalStore((s) => s.renameTab);
  const [editing, setEditing] = useState<string>();
  return (
    <span className={`term-tab${selected ? ' selected' : ''}`} data-status={status}>
      {editing !== undefined ? (
        <input
          aria-label="Tab name"
          autoFocus
          value={editing}
          onChange={(e) => setEditing(e.target.value)}
          onBlur={() => {
            renameTab(tab.id, editing);
            setEditing(undefined);
          }}
          onKeyDown={(e) => {
            e.stopPropagation();
            if (e.key === 'Enter') {
              renameTab(tab.id, editing);
              setEditing(undefined);
            } else if (e.key === 'Escape') setEditing(undefined);
          }}
        />
      ) : (
        <button type="button" role="tab" aria-selected={selected} className="ghost" onClick={onSelect} onDoubleClick={() => setEditing(tab.name ?? title)} title="Double-click to rename">
          <span className={`term-dot term-${status ?? 'connecting'}`} aria-hidden="true" />
          {title}
          {tab.panes.length > 1 ? <span className="muted"> +{tab.panes.length - 1}</span> : null}
        </button>
      )}
      <button type="button" className="ghost" aria-label={`Close tab ${title}`} onClick={onClose}>
        ✕
      </button>
    </span>
  );
}
