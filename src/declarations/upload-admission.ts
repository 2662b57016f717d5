/**
 * Which rows of an uploaded file the uploader may store: the same party rules as lodging through the
 * API (service.ts), decided per declaration while the file is imported. A refused row is rejected
 * with a finding that says why; it is never stored.
 */
import type { Sql } from '../db/database.ts';
import { Role } from '../governance/roles.ts';
import type { EncodedDeclaration } from './prepare.ts';
import type { Rejected } from './importer.ts';

export interface Uploader {
  username: string;
  role: typeof Role.Trader | typeof Role.Declarant;
  /** The trader a trader acts for, or the declarant code of a customs broker. */
  party: string;
}

type Refusal = Rejected['findings'][number];
export type Admission = (d: Pick<EncodedDeclaration, 'trader' | 'declarant' | 'control'>) => Refusal | null;

/**
 * A control result is recorded by customs after a control; one arriving in an upload would write
 * the uploader's own control record, which risk assessment trusts.
 */
const controlRefused: Refusal = {
  path: 'control',
  code: 'control_result_not_accepted',
  message: 'control results are recorded by customs, not uploaded: leave the control result columns empty',
};

const refused = (path: string, message: string): Refusal => ({
  path,
  code: 'not_authorized_for_trader',
  message,
});

/** The admission rule for an uploader; a declarant's represented traders are read once, here. */
export async function admissionFor(sql: Sql, uploader: Uploader): Promise<Admission> {
  const { party } = uploader;
  if (uploader.role === Role.Trader) {
    return (d) => {
      if (d.trader !== party)
        return refused(
          'trader',
          `a trader imports only its own declarations: this one is for trader ${d.trader}, you are ${party}`,
        );
      return d.control ? controlRefused : null;
    };
  }
  const rows = await sql.query<{ trader_id: string }>(
    'SELECT trader_id FROM representations WHERE declarant_id = $1',
    [party],
  );
  const represented = new Set(rows.map((r) => r.trader_id));
  return (d) => {
    if (d.declarant !== party)
      return refused('declarant', `you import as declarant ${party}, not ${d.declarant}`);
    if (!represented.has(d.trader))
      return refused('trader', `declarant ${party} does not represent trader ${d.trader}`);
    return d.control ? controlRefused : null;
  };
}
