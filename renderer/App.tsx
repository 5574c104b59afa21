// The shell: sidebar navigation, top bar (context, connection, theme, palette) and the active
// view. Routes live in the URL hash (#/topology) so a war-room screen can be bookmarked.
import { Suspense, useCallback, useEffect, useState } from 'react';
import { useAppStore } from './stores/app-store';
import { VIEWS, viewById } from './views/registry';
import { NotBuilt } from './components/NotBuilt';
import { StatusIndicator } from './components/StatusIndicator';
import { ContextSwitcher } from './components/ContextSwitcher';
import { CommandPalette } from './components/CommandPalette';
import { ProblemsBadge } from './components/ProblemsBadge';
import { KeyMap } from './components/KeyMap';
import { ViewErrorBoundary } from './components/ViewErrorBoundary';

const routeFromHash = () => {
  const id = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return viewById(id) ? id : 'topology';
};

/** The route, and the view's first data asked for as it opens (before its code has loaded). */
const openRoute = () => {
  const id = routeFromHash();
  viewById(id)?.opening?.();
  return id;
};

export function App() {
  const [route, setRoute] = useState(openRoute);
  const load = useAppStore((s) => s.load);
  const info = useAppStore((s) => s.info);
  const loadError = useAppStore((s) => s.loadError);
  const contextsProblem = useAppStore((s) => s.contextsProblem);
  const kubeconfigProblem = useAppStore((s) => s.kubeconfigProblem);
  const theme = useAppStore((s) => s.settings?.theme ?? 'dark');
  const setTheme = useAppStore((s) => s.setTheme);
  const setPaletteOpen = useAppStore((s) => s.setPaletteOpen);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    const onHash = () => setRoute(openRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const navigate = useCallback((id: string) => {
    window.location.hash = `#/${id}`;
  }, []);

  useEffect(() => {
    let pendingG = false;
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName));
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setPaletteOpen(true);
        return;
      }
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === ':') {
        e.preventDefault();
        setPaletteOpen(true, ':');
      } else if (e.key === '?') {
        e.preventDefault();
        useAppStore.getState().setKeyMapOpen(true);
      } else if (pendingG) {
        pendingG = false;
        const view = VIEWS.find((v) => v.key === e.key);
        if (view) navigate(view.id);
      } else if (e.key === 'g') {
        pendingG = true;
        setTimeout(() => (pendingG = false), 1000);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, setPaletteOpen]);

  const view = viewById(route) ?? VIEWS[0];
  const ViewComponent = view.component;

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Views">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">✈</span> Flightdeck
        </div>
        <ul>
          {VIEWS.map((v) => (
            <li key={v.id}>
              <a href={`#/${v.id}`} aria-label={v.title} aria-current={v.id === view.id ? 'page' : undefined} className={v.id === view.id ? 'active' : ''}>
                <span className="nav-icon" aria-hidden="true">
                  {v.icon}
                </span>
                <span className="nav-title">{v.title}</span>
                {v.component ? null : <span className="nav-badge" aria-hidden="true">soon</span>}
              </a>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot muted">
          {info ? `${info.mode} · v${info.version}${info.readOnly ? ' · read-only' : ''}${info.demo ? ' · demo fleet' : ''}` : ''}
        </div>
      </nav>
      <div className="main">
        <header className="topbar">
          <ContextSwitcher />
          <StatusIndicator />
          <ProblemsBadge />
          <div className="spacer" />
          {info?.readOnly ? <span className="badge readonly">read-only screen</span> : null}
          <button type="button" className="ghost" onClick={() => setPaletteOpen(true)} aria-label="Open command palette">
            ⌘K
          </button>
          <button type="button" className="ghost" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
            {theme === 'dark' ? '☀' : '☾'}
          </button>
        </header>
        {loadError ? (
          <div className="banner error" role="alert">
            Could not reach the Flightdeck server: {loadError}
          </div>
        ) : null}
        {contextsProblem ? (
          <div className="banner warning" role="alert">
            {contextsProblem}
          </div>
        ) : null}
        {kubeconfigProblem ? (
          <div className="banner warning" role="alert" data-testid="kubeconfig-problem">
            {kubeconfigProblem}
          </div>
        ) : null}
        <main className="content">
          {ViewComponent ? (
            // One boundary per view (keyed: a crashed view is fresh again when the user comes back).
            <ViewErrorBoundary key={view.id} title={view.title}>
              <Suspense fallback={<div className="view loading" data-testid={`view-${view.id}`}>Loading {view.title}…</div>}>
                <ViewComponent />
              </Suspense>
            </ViewErrorBoundary>
          ) : (
            <NotBuilt view={view} />
          )}
        </main>
      </div>
      <CommandPalette navigate={navigate} />
      <KeyMap />
    </div>
  );
}
