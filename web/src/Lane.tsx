/** A lane as a coloured label that also says its name (colour is never the only signal). */
export function Lane({ lane }: { lane?: string | null }) {
  if (!lane) return <span className="lane none">not assessed</span>;
  return <span className={`lane ${lane}`}>{lane}</span>;
}
