import type { PageProps } from '../pages.ts';
import { ArchiveRuns } from './ArchiveRuns.tsx';
import { Holds } from './Holds.tsx';
import { Policies } from './Policies.tsx';

/**
 * Retention: how long each class of data is kept (administrators change it), the declarations
 * under legal hold, and for auditors and administrators the archival runs (administrators start
 * one). The server says what the caller may change; the page offers only that.
 */
export default function Retention({ user, open }: PageProps) {
  const admin = user.role === 'administrator';
  return (
    <section aria-labelledby="retention-title">
      <h1 id="retention-title">Retention</h1>
      <Policies />
      {/* administrators do not read declarations, so a link would only lead to a refusal */}
      <Holds open={admin ? null : open} />
      {(admin || user.role === 'auditor') && <ArchiveRuns />}
    </section>
  );
}
