import type { ViewDef } from '../views/registry';

/** The honest page of a view that is not built yet. */
export function NotBuilt({ view }: { view: ViewDef }) {
  return (
    <section className="view not-built" data-testid={`view-${view.id}`} aria-labelledby={`title-${view.id}`}>
      <h1 id={`title-${view.id}`}>{view.title}</h1>
      <p className="lead">{view.purpose}</p>
      <p className="notice">Not built yet. This view is planned; nothing here is live data.</p>
    </section>
  );
}
