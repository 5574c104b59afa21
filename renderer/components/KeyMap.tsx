// The key map (`?`, as in k9s): every shortcut the console answers to, in one place.
import { useEffect } from 'react';
import { useAppStore } from '../stores/app-store';
import { VIEWS } from '../views/registry';
import { JUMPS } from '../../shared/model/palette-search';
import './triage.css';

const GENERAL: Array<[string, string]> = [
  ['Ctrl K · ⌘K', 'Command palette: resources, actions, views, settings'],
  [':', 'Palette k9s-style — :deploy, :pods, :nodes, then Enter'],
  ['↑ ↓ · Enter', 'Move and run in the palette; move and open from a filter box'],
  ['Esc', 'Close the palette, a dialog or the details panel'],
  ['/', 'Topology: focus the search box'],
  ['Ctrl Shift K', 'In a terminal: the palette (a terminal keeps every other key for its shell)'],
  ['Ctrl Shift C · Ctrl Shift V · Ctrl Shift F', 'In a terminal: copy, paste, find'],
  ['?', 'This key map'],
];

export function KeyMap() {
  const open = useAppStore((s) => s.keyMapOpen);
  const setOpen = useAppStore((s) => s.setKeyMapOpen);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, setOpen]);
  if (!open) return null;
  const rows: Array<[string, string]> = [
    ...GENERAL,
    ...VIEWS.filter((v) => v.key).map((v): [string, string] => [`g ${v.key}`, `Go to ${v.title}`]),
    ...JUMPS.map((j): [string, string] => [j.aliases.slice(0, 3).map((a) => `:${a}`).join(' '), j.label]),
  ];
  return (
    <div className="palette-backdrop" onMouseDown={() => setOpen(false)}>
      <div className="palette keymap" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onMouseDown={(e) => e.stopPropagation()} data-testid="keymap">
        <table>
          <tbody>
            {rows.map(([keys, what]) => (
              <tr key={keys}>
                <td>
                  {keys.split(' · ').map((k, i) => (
                    <span key={k}>
                      {i > 0 ? ' · ' : ''}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
