/** How the retention page writes moments and counts. */

/** A moment as the application writes it everywhere (format.ts). */
export { moment as when } from '../format.ts';

const names: Record<string, [string, string]> = {
  declarations: ['declaration', 'declarations'],
  'control-notes': ['control note', 'control notes'],
  imports: ['import', 'imports'],
  sessions: ['session', 'sessions'],
};

/** Rows by data class, as "1 declaration, 3 sessions"; "nothing" when empty. */
export const describeCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([dataClass, n]) => {
      const [one, many] = names[dataClass] ?? [dataClass, dataClass];
      return `${n.toLocaleString()} ${n === 1 ? one : many}`;
    })
    .join(', ') || 'nothing';
