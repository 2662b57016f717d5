import type { AnchorHTMLAttributes, MouseEvent } from 'react';

type Props = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  href: string;
  /** Goes there inside the application (history and all) on a plain left click. */
  follow: (href: string) => void;
};

/** A modified click (ctrl, meta, shift, alt) or a middle click is the browser's: a new tab or window. */
const browserHandles = (e: MouseEvent) => e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey;

/**
 * A real link to a path of the application: a plain left click moves within the page as the
 * application does, while ctrl/meta/shift/middle click, "Open in new tab" and copying the address
 * work as on any link.
 */
export function Link({ href, follow, onClick, children, ...rest }: Props) {
  return (
    <a
      href={href}
      {...rest}
      onClick={(e) => {
        onClick?.(e);
        if (e.defaultPrevented || browserHandles(e)) return;
        e.preventDefault();
        follow(href);
      }}
    >
      {children}
    </a>
  );
}
