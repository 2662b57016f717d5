import type { PageProps } from '../pages.ts';
import { Identity } from './Identity.tsx';
import { Inbox } from './Inbox.tsx';
import { Outbox } from './Outbox.tsx';
import { Partners } from './Partners.tsx';

/**
 * The exchange with partner customs administrations, for administrators: this administration's
 * identity and public key, the partners (proposed by one administrator, confirmed by another), and
 * the messages sent and received with their states.
 */
export default function Exchange({ user }: PageProps) {
  return (
    <section aria-labelledby="exchange-title">
      <h1 id="exchange-title">Exchange</h1>
      <Identity />
      <Partners user={user} />
      {/* administrators do not read declarations: a link would only lead to a refusal */}
      <Outbox open={null} />
      <Inbox />
    </section>
  );
}
