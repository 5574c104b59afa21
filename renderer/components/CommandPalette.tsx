// Command palette (Ctrl/Cmd-K, or `:` as in k9s): jump to a view, switch context, change theme.
// Views can add commands through `extraCommands`.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useAppStore } from '../stores/app-store';
import { VIEWS } from '../views/registry';

export interface Command {
  id: string;
  label: string;
  hint?: string;
  run(): void;
}

export function CommandPalette({ navigate }: { navigate(viewId: string): void }) {
  const open = useAppStore((s) => s.paletteOpen);
  const setOpen = useAppStore((s) => s.setPaletteOpen);
  const contexts = useAppStore((s) => s.contexts);
  const setActiveContext = useAppStore((s) => s.setActiveContext);
  const theme = useAppStore((s) => s.settings?.theme ?? 'dark');
  const setTheme = useAppStore((s) => s.setTheme);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  const commands = useMemo<Command[]>(
    () => [
      ...VIEWS.map((v) => ({ id: `view:${v.id}`, label: `Go to ${v.title}`, hint: v.id, run: () => navigate(v.id) })),
      ...contexts.map((c) => ({ id: `ctx:${c.name}`, label: `Switch context: ${c.name}`, hint: 'ctx', run: () => setActiveContext(c.name) })),
      { id: 'theme', label: `Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`, hint: 'theme', run: () => setTheme(theme === 'dark' ? 'light' : 'dark') },
    ],
    [contexts, navigate, setActiveContext, setTheme, theme],
  );

  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return commands;
    return commands.filter((c) => `${c.label} ${c.hint ?? ''}`.toLowerCase().includes(q));
  }, [commands, query]);

  useEffect(() => {
    if (open) {
      setQuery('');
      setSelected(0);
      setTimeout(() => input.current?.focus(), 0);
    }
  }, [open]);

  if (!open) return null;
  const close = () => setOpen(false);
  const runAt = (i: number) => {
    const command = matches[i];
    if (!command) return;
    close();
    command.run();
  };
  return (
    <div className="palette-backdrop" onMouseDown={close}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Command palette" onMouseDown={(e) => e.stopPropagation()}>
        <input
          ref={input}
          aria-label="Command"
          placeholder="Type a command or a view…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setSelected(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
            else if (e.key === 'ArrowDown') setSelected((s) => Math.min(matches.length - 1, s + 1));
            else if (e.key === 'ArrowUp') setSelected((s) => Math.max(0, s - 1));
            else if (e.key === 'Enter') runAt(selected);
            else return;
            e.preventDefault();
          }}
        />
        <ul role="listbox" aria-label="Commands">
          {matches.map((c, i) => (
            <li key={c.id} role="option" aria-selected={i === selected} className={i === selected ? 'selected' : ''} onMouseEnter={() => setSelected(i)} onClick={() => runAt(i)}>
              <span>{c.label}</span>
              {c.hint ? <kbd>{c.hint}</kbd> : null}
            </li>
          ))}
          {matches.length === 0 ? <li className="muted">No command matches “{query}”.</li> : null}
        </ul>
      </div>
    </div>
  );
}
