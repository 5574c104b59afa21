// The context switcher: every kubeconfig context (and the demo fleet's), with its state.
import { useAppStore } from '../stores/app-store';

export function ContextSwitcher() {
  const contexts = useAppStore((s) => s.contexts);
  const active = useAppStore((s) => s.activeContext);
  const statuses = useAppStore((s) => s.statuses);
  const setActive = useAppStore((s) => s.setActiveContext);
  if (contexts.length === 0) return <span className="muted">no cluster configured</span>;
  return (
    <label className="context-switcher">
      <span className="sr-only">Context</span>
      <select aria-label="Context" value={active ?? ''} onChange={(e) => setActive(e.target.value)} data-testid="context-switcher">
        {contexts.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name}
            {c.source === 'demo' ? ' (demo)' : ''}
            {statuses[c.name] && statuses[c.name].state !== 'live' ? ` — ${statuses[c.name].state}` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
