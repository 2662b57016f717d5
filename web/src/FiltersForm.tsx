import type { FormEvent, ReactNode } from 'react';

/** The form of a page's filters (named "Filters"): the fields given, then the Show button. */
export function FiltersForm({
  onSubmit,
  children,
}: {
  onSubmit: (e: FormEvent) => void;
  children: ReactNode;
}) {
  return (
    <form className="filters wrap" aria-label="Filters" onSubmit={onSubmit}>
      {children}
      <button type="submit" className="primary">
        Show
      </button>
    </form>
  );
}
