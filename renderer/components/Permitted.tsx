// RBAC awareness as one piece (after Headlamp's AuthVisible, but we show *why*): wraps a control
// and disables it when the verdict says no, with the reason as tooltip and accessible description.
import { cloneElement, useId, type ReactElement } from 'react';

export interface PermittedProps {
  /** undefined while the verdict is being asked. */
  allowed: boolean | undefined;
  /** Why not (RBAC reason, read-only session, ...), shown as the tooltip and read by screen readers. */
  reason?: string;
  /** The control: a button or anything accepting `disabled`, `title` and `aria-describedby`. */
  children: ReactElement<{ disabled?: boolean; title?: string; 'aria-describedby'?: string; 'data-reason'?: string }>;
}

export function Permitted({ allowed, reason, children }: PermittedProps) {
  const id = useId();
  if (allowed) return children;
  const why = allowed === undefined ? 'Checking permissions…' : (reason ?? 'Not allowed');
  return (
    <>
      {cloneElement(children, { disabled: true, title: why, 'aria-describedby': id, 'data-reason': why })}
      <span id={id} className="sr-only">
        {why}
      </span>
    </>
  );
}
