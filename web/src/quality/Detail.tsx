import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useShortcuts } from '../shortcuts.ts';

/**
 * What a row of a score table opens, beside the table: its title takes the focus when it opens,
 * and Close or Escape puts it away.
 */
export function Detail({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [title]);
  useShortcuts({ Escape: onClose });
  return (
    <article className="detail" aria-labelledby={id}>
      <div className="title-bar">
        <h2 id={id} ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button onClick={onClose}>Close</button>
      </div>
      {children}
    </article>
  );
}
