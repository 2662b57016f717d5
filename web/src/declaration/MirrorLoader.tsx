import { useEffect } from 'react';
import { preloadModule, useModule } from '../useModule.ts';
import { mirrorReaders } from './access.ts';
import type { Declaration } from './types.ts';

/**
 * The partner's export record beside an import is its own bundle, loaded only for the customs roles
 * that read it: a trader's declaration page never downloads it. As pages are (ADR 0007), it is
 * loaded by useModule, not React.lazy, and started as the page opens, beside the declaration's reads.
 */
const loadMirror = () => import('./Mirror.tsx').then((m) => ({ default: m.Mirror }));

/** Starts loading the export-record components when `role` reads mirror data. */
export function usePreloadedMirror(role: string) {
  useEffect(() => {
    if (mirrorReaders.includes(role)) void preloadModule(loadMirror);
  }, [role]);
}

/** The export records matched to import `d`, once their bundle is here (nothing before). */
export function MirrorLoader({ d }: { d: Declaration }) {
  const Mirror = useModule(loadMirror);
  return Mirror ? <Mirror d={d} /> : null;
}
