// One view's crash stays in that view: without a boundary React unmounts the whole root on an
// uncaught render or effect error, and the console went blank (sidebar, top bar and all).
import { Component, Fragment, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** The view's title, said in the message ("The GPUs view stopped: …"). */
  title: string;
  children: ReactNode;
}

interface State {
  error?: Error;
  /** Bumped by "Reload view" so the view mounts afresh instead of re-using the broken tree. */
  attempt: number;
}

export class ViewErrorBoundary extends Component<Props, State> {
  override state: State = { attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // Kept for whoever opens the developer tools: the component stack says where it happened.
    console.error(`${this.props.title} view crashed:`, error, info.componentStack);
  }

  private reload = () => this.setState((s) => ({ error: undefined, attempt: s.attempt + 1 }));

  override render(): ReactNode {
    const { error, attempt } = this.state;
    if (!error) return <Fragment key={attempt}>{this.props.children}</Fragment>;
    return (
      <div className="view view-crashed" role="alert" data-testid="view-error">
        <h1>{this.props.title}</h1>
        <div className="banner error">
          <p>
            The {this.props.title} view stopped because of an error in the console: <b>{error.message || error.name}</b>. The rest of the
            console still works.
          </p>
          <button type="button" className="primary" onClick={this.reload}>
            Reload view
          </button>
        </div>
        {error.stack ? (
          <details>
            <summary>Details</summary>
            <pre className="mono">{error.stack}</pre>
          </details>
        ) : null}
      </div>
    );
  }
}
