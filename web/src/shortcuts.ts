import { useEffect, useRef } from 'react';

/** Keys typed into a field are text, not commands. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName));
}

/**
 * Single-key shortcuts for the page while it is shown: `keys` maps a key (as in KeyboardEvent.key)
 * to what it does. Ignored while typing in a field, with a modifier held, or while a modal dialog is
 * open, so browser and screen-reader keys keep working. Escape in a field never leaves the page: a
 * picker that closes on it keeps it for itself, and otherwise the field gives up the focus with its
 * text intact, so only a second Escape does what the page binds to it.
 */
export function useShortcuts(keys: Record<string, () => void>): void {
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      // a modal question has the keys to itself: Escape cancels it, not the page
      if (document.querySelector('dialog[open]')) return;
      if (typing(e.target)) {
        // Escape in a field leaves the field, keeping what it holds; a second one acts for the page
        if (e.key === 'Escape' && latest.current.Escape && e.target instanceof HTMLElement) e.target.blur();
        return;
      }
      const action = latest.current[e.key];
      if (!action) return;
      e.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
