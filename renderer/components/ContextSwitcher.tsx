// The context switcher: every kubeconfig context (and the demo fleet's), with its state, the exec
// credential plugin it runs (if any) and a warning when its cluster skips TLS verification.
import type { ClusterContext } from '../../shared/contract/clusters';
import { useAppStore } from '../stores/app-store';

/** The plugin's program name: the full path is in the tooltip. */
const programOf = (command: string) => command.split(/[/\\]/).pop() ?? command;

export function contextNotes(c: ClusterContext): string[] {
  const notes: string[] = [];
  if (c.execCommand) notes.push(`exec: ${programOf(c.execCommand)}`);
  if (c.insecureSkipTlsVerify) notes.push('⚠ TLS not verified');
  return notes;
}

export function ContextSwitcher() {
  const contexts = useAppStore((s) => s.contexts);
  const active = useAppStore((s) => s.activeContext);
  const statuses = useAppStore((s) => s.statuses);
  const setActive = useAppStore((s) => s.setActiveContext);
  if (contexts.length === 0) return <span className="muted">no cluster configured</span>;
  const current = contexts.find((c) => c.name === active);
  return (
    <div className="context-switcher">
      <label>
        <span className="sr-only">Context</span>
        <select aria-label="Context" value={active ?? ''} onChange={(e) => setActive(e.target.value)} data-testid="context-switcher">
          {contexts.map((c) => (
            <option key={c.name} value={c.name} title={c.execCommand ? `credentials from the exec plugin ${c.execCommand}` : undefined}>
              {c.name}
              {c.source === 'demo' ? ' (demo)' : ''}
              {contextNotes(c).map((note) => ` · ${note}`).join('')}
              {statuses[c.name] && statuses[c.name].state !== 'live' ? ` — ${statuses[c.name].state}` : ''}
            </option>
          ))}
        </select>
      </label>
      {current?.execCommand ? (
        <span className="context-note" title={`Credentials come from the exec plugin ${current.execCommand}; it runs only for contexts you open.`} data-testid="context-exec">
          exec: {programOf(current.execCommand)}
        </span>
      ) : null}
      {current?.insecureSkipTlsVerify ? (
        <span className="context-note warning" role="note" title="This cluster sets insecure-skip-tls-verify: the API server's identity is not checked, so a man in the middle could read your credentials." data-testid="context-insecure">
          ⚠ TLS not verified
        </span>
      ) : null}
    </div>
  );
}
