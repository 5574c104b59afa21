// Command palette (Ctrl/Cmd-K, or `:` as in k9s): finds views and settings, k9s jumps (`:deploy`,
// `:pods`, `:nodes`), resources of every kind across namespaces, and workload actions ("scale ranker
// 3", "restart llm-gateway", "undo recommender") whose confirm dialog opens through the action road.
// Arrows move, Enter runs, Esc closes — all from the filter box.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useAppStore } from '../stores/app-store';
import { useActionsStore } from '../stores/actions-store';
import { useTopologyStore } from '../stores/topology-store';
import { kindHash, useKindPaletteEntries } from '../stores/browser-store';
import { VIEWS } from '../views/registry';
import { getApi } from '../api/client';
import { actionEntries, actionFor, JUMPS, jumpEntries, objectEntries, objectHash, resourceEntries, searchPalette, type NamedObjectRef, type PaletteEntry, type ResourceRef } from '../../shared/model/palette-search';
import './triage.css';

const GROUP_WORDS: Record<PaletteEntry['group'], string> = { jump: 'jump', view: 'view', setting: 'setting', context: 'context', action: 'action', resource: 'resource' };

/** The last list per context: shown at once when the palette opens, while a fresh one loads. */
const cache = new Map<string, ResourceRef[]>();
/** Every resource the tables know for a context (pods, nodes, workloads, services). */
async function loadResources(context: string): Promise<ResourceRef[]> {
  const api = getApi();
  const tables = await Promise.all((['pods', 'nodes', 'workloads', 'services'] as const).map((table) => api.call('resources.list', { context, table })));
  const resources: ResourceRef[] = [];
  for (const { columns, rows } of tables) {
    const col = (name: string) => columns.indexOf(name);
    for (const row of rows) {
      const id = String(row[col('id')]);
      const k = id.split('/')[0];
      const ready = col('ready') >= 0 ? String(row[col('ready')]) : '';
      const desired = /\/(\d+)$/.exec(ready)?.[1];
      resources.push({ k, id, name: String(row[col('name')]), namespace: col('namespace') >= 0 ? String(row[col('namespace')]) || undefined : undefined, desired: desired === undefined ? undefined : Number(desired) });
    }
  }
  cache.set(context, resources);
  return resources;
}

// A Service is drawn in the graph (what it selects), not in a table.
const TABLE_TAB: Record<string, 'pods' | 'nodes' | 'workloads' | 'graph'> = { pod: 'pods', node: 'nodes', svc: 'graph' };
/** How long typing pauses before the name index is asked, and how soon again while kinds are still listing (ms). */
const SEARCH_DEBOUNCE_MS = 150;
const SEARCH_RETRY_MS = 1_000;

/** Objects of every kind matching the query, from the resource browser's name index; later kinds arrive on a retry. */
function useObjectSearch(context: string | undefined, query: string): NamedObjectRef[] {
  const [objects, setObjects] = useState<NamedObjectRef[]>([]);
  useEffect(() => {
    const q = query.trim().replace(/^:\s*/, '');
    if (!context || q.length < 2) {
      setObjects([]);
      return;
    }
    let stale = false;
    let timer: ReturnType<typeof setTimeout>;
    const ask = (tries: number) => {
      getApi()
        .call('browser.search', { context, query: q, limit: 30 })
        .then((r) => {
          if (stale) return;
          setObjects(r.objects);
          if (!r.complete && tries > 0) timer = setTimeout(() => ask(tries - 1), SEARCH_RETRY_MS);
        })
        // The name index is a bonus: the tables' resources are still found without it.
        .catch(() => undefined);
    };
    timer = setTimeout(() => ask(10), SEARCH_DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [context, query]);
  return objects;
}
const selectKey = (t: { kind: string; namespace: string; name: string }) => `${t.kind}/${t.namespace}/${t.name}`;

export function CommandPalette({ navigate }: { navigate(viewId: string): void }) {
  const open = useAppStore((s) => s.paletteOpen);
  const seed = useAppStore((s) => s.paletteSeed);
  // Mounted afresh on each opening: the box starts with the seed, never with the last query.
  return open ? <PaletteBody navigate={navigate} seed={seed} /> : null;
}

function PaletteBody({ navigate, seed }: { navigate(viewId: string): void; seed: string }) {
  const setOpen = useAppStore((s) => s.setPaletteOpen);
  const contexts = useAppStore((s) => s.contexts);
  const context = useAppStore((s) => s.activeContext);
  const readOnly = useAppStore((s) => s.info?.readOnly ?? false);
  const setActiveContext = useAppStore((s) => s.setActiveContext);
  const theme = useAppStore((s) => s.settings?.theme ?? 'dark');
  const setTheme = useAppStore((s) => s.setTheme);
  const [query, setQuery] = useState(seed);
  const [selected, setSelected] = useState(0);
  const [resources, setResources] = useState<ResourceRef[]>([]);
  const [resourceError, setResourceError] = useState<string>();
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (!context) return;
    let stale = false;
    setResources(cache.get(context) ?? []);
    loadResources(context)
      .then((r) => !stale && (setResources(r), setResourceError(undefined)))
      .catch((e: Error) => !stale && setResourceError(e.message));
    return () => {
      stale = true;
    };
  }, [context]);

  const fixed = useMemo<PaletteEntry[]>(
    () => [
      ...jumpEntries(),
      ...VIEWS.map((v): PaletteEntry => ({ id: `view:${v.id}`, group: v.id === 'settings' ? 'setting' : 'view', label: `Go to ${v.title}`, hint: v.key ? `g ${v.key}` : v.id, text: `go to ${v.title} ${v.id} ${v.purpose}` })),
      { id: 'setting:theme', group: 'setting', label: `Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`, hint: 'theme', text: 'theme dark light colours' },
      { id: 'setting:keys', group: 'setting', label: 'Keyboard shortcuts', hint: '?', text: 'keyboard shortcuts key map help' },
      ...contexts.map((c): PaletteEntry => ({ id: `ctx:${c.name}`, group: 'context', label: `Switch context: ${c.name}`, hint: 'ctx', text: `context ctx ${c.name}` })),
    ],
    [contexts, theme],
  );
  const workloads = useMemo(() => resources.filter((r) => r.k === 'deploy' || r.k === 'sts' || r.k === 'ro'), [resources]);
  const resourceItems = useMemo(() => resourceEntries(resources), [resources]);
  const kindItems = useKindPaletteEntries(context);
  const found = useObjectSearch(context, query);
  const objectItems = useMemo(() => objectEntries(found), [found]);
  const matches = useMemo(
    () => searchPalette(query, [...fixed, ...(readOnly ? [] : actionEntries(workloads, query)), ...resourceItems, ...kindItems, ...objectItems]),
    [fixed, workloads, resourceItems, kindItems, objectItems, query, readOnly],
  );

  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const close = () => setOpen(false);

  const openInTopology = (id: string, k: string) => {
    const topology = useTopologyStore.getState();
    topology.connect(context);
    topology.setTab(TABLE_TAB[k] ?? 'workloads');
    topology.select(id, true);
    navigate('topology');
  };

  const run = (entry: PaletteEntry) => {
    const [kind, rest] = [entry.id.slice(0, entry.id.indexOf(':')), entry.id.slice(entry.id.indexOf(':') + 1)];
    if (kind === 'view') return navigate(rest);
    if (kind === 'ctx') return setActiveContext(rest);
    if (entry.id === 'setting:theme') return setTheme(theme === 'dark' ? 'light' : 'dark');
    if (entry.id === 'setting:keys') return useAppStore.getState().setKeyMapOpen(true);
    if (kind === 'jump') {
      const jump = JUMPS.find((j) => j.aliases[0] === rest);
      if (!jump) return;
      if (jump.tab) useTopologyStore.getState().setTab(jump.tab);
      if (jump.filter) {
        window.location.hash = `#/${jump.view}?filter=${encodeURIComponent(jump.filter)}`;
        return;
      }
      return navigate(jump.view);
    }
    if (kind === 'res') return openInTopology(rest, rest.split('/')[0]);
    if (kind === 'obj') {
      const hash = objectHash(entry.id);
      if (hash) window.location.hash = hash;
      return;
    }
    if (kind === 'kind') {
      window.location.hash = kindHash(rest);
      return;
    }
    const action = actionFor(entry.id);
    if (!action || !context) return;
    // The workload opens in Rollouts; its confirm dialog is the action road's, as a button click would open it.
    if (!action.needsInput) void useActionsStore.getState().prepare(context, { target: action.target, action: action.action, params: action.params });
    window.location.hash = `#/rollouts?select=${encodeURIComponent(selectKey(action.target))}`;
    if (action.needsInput) setTimeout(() => (document.querySelector('[data-testid="scale-replicas"]') as HTMLInputElement | null)?.select(), 300);
  };
  const runAt = (i: number) => {
    const entry = matches[i];
    if (!entry) return;
    close();
    run(entry);
  };

  return (
    <div className="palette-backdrop" onMouseDown={close}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Command palette" onMouseDown={(e) => e.stopPropagation()}>
        <input
          ref={input}
          autoFocus
          aria-label="Command"
          placeholder="Find a resource, an action (restart llm-gateway), a view, or :pods"
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
          aria-activedescendant={matches[selected] ? `palette-${matches[selected].id}` : undefined}
          data-testid="palette-input"
        />
        <ul role="listbox" aria-label="Commands" ref={list} data-testid="palette-results">
          {matches.map((c, i) => (
            <li
              key={c.id}
              id={`palette-${c.id}`}
              role="option"
              aria-selected={i === selected}
              className={i === selected ? 'selected' : ''}
              onMouseEnter={() => setSelected(i)}
              onClick={() => runAt(i)}
              data-group={c.group}
            >
              <span>
                <span className="palette-kind">{GROUP_WORDS[c.group]}</span>
                {c.label}
              </span>
              {c.hint ? <kbd>{c.hint}</kbd> : null}
            </li>
          ))}
          {matches.length === 0 ? <li className="muted">Nothing matches “{query}”.</li> : null}
          {resourceError ? <li className="muted">Resources could not be listed: {resourceError}</li> : null}
        </ul>
      </div>
    </div>
  );
}

