import { useEffect, useRef } from 'react';

/** The forms on screen that hold input not yet saved. */
const unsaved = new Set<symbol>();

// closing or reloading the tab with unsaved input: the browser asks in its own words
window.addEventListener('beforeunload', (e) => {
  if (unsaved.size === 0) return;
  e.preventDefault();
  // older browsers ask only when returnValue is set
  e.returnValue = '';
});

/**
 * A form tells whether it holds input not yet saved. While any form does, leaving the page in the
 * application (its navigation, Back links, the browser's Back) asks first, and so does closing or
 * reloading the tab. A form that unmounts no longer counts.
 */
export function useUnsaved(dirty: boolean): void {
  const key = useRef(Symbol('form'));
  useEffect(() => {
    const mine = key.current;
    if (dirty) unsaved.add(mine);
    else unsaved.delete(mine);
    return () => {
      unsaved.delete(mine);
    };
  }, [dirty]);
}

/** Whether leaving the page now would lose input. */
export const hasUnsaved = (): boolean => unsaved.size > 0;

/** The person chose to leave: what the forms held is given up. */
export const discardUnsaved = (): void => unsaved.clear();
