import type { ReactNode } from 'react';
import type { Gap } from '../mirror/types.ts';

/**
 * A figure of a matched pair, marked where mirror analysis found a gap: beyond its threshold in
 * bold on red with "beyond" said for screen readers, within it underlined.
 */
export function Marked({ gap, children, className }: { gap?: Gap; children: ReactNode; className?: string }) {
  const classes = [className, gap ? (gap.beyond ? 'gap beyond' : 'gap') : undefined]
    .filter(Boolean)
    .join(' ');
  return (
    <td className={classes || undefined} title={gap?.text}>
      {gap?.beyond ? <strong>{children}</strong> : children}
      {gap && (
        <span className="visually-hidden">{gap.beyond ? ' (gap beyond the threshold)' : ' (gap)'}</span>
      )}
    </td>
  );
}
