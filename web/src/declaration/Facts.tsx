import type { ReactNode } from 'react';
import { country, day, money, moment } from '../format.ts';
import type { Declaration } from './types.ts';

const types: Record<string, string> = { IM: 'import', EX: 'export' };

/** One fact: its name and value; left out when the declaration has no value for it. */
function Fact({ name, children }: { name: string; children: ReactNode }) {
  if (children === undefined || children === null || children === '') return null;
  return (
    <>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** The declaration's header: what it is, its parties, its transport and procedure, its total. */
export function Facts({ d, officeName }: { d: Declaration; officeName: string | null }) {
  return (
    <div className="fact-groups">
      <section aria-labelledby="facts-declaration">
        <h2 id="facts-declaration">Declaration</h2>
        <dl className="facts">
          <Fact name="Status">{d.status}</Fact>
          <Fact name="Type">{types[d.type] ? `${d.type} (${types[d.type]})` : d.type}</Fact>
          <Fact name="Reference">{d.functionalReference}</Fact>
          <Fact name="Date">
            <time dateTime={d.date}>{day(d.date)}</time>
          </Fact>
          <Fact name="Lodged">
            <time dateTime={d.lodgedAt}>{moment(d.lodgedAt)}</time>
          </Fact>
          <Fact name="Office">{officeName ? `${d.office} (${officeName})` : d.office}</Fact>
          <Fact name="Worked by">{d.assignedTo}</Fact>
          <Fact name="Invoice total">
            {d.invoiceTotal === undefined ? undefined : money(d.invoiceTotal, d.currency)}
          </Fact>
          <Fact name="Currency">{d.currency}</Fact>
        </dl>
      </section>
      <section aria-labelledby="facts-parties">
        <h2 id="facts-parties">Parties</h2>
        <dl className="facts">
          <Fact name="Trader">{d.trader}</Fact>
          <Fact name="Declarant">{d.declarant}</Fact>
          <Fact name="Seller">{d.seller}</Fact>
          <Fact name="Buyer">{d.buyer}</Fact>
          <Fact name="Courier">{d.courier}</Fact>
          <Fact name="Exporter">{d.exporter}</Fact>
        </dl>
      </section>
      <section aria-labelledby="facts-movement">
        <h2 id="facts-movement">Transport and procedure</h2>
        <dl className="facts">
          <Fact name="Transport mode">{d.transportMode}</Fact>
          <Fact name="Dispatch country">{country(d.dispatchCountry)}</Fact>
          <Fact name="Origin">{country(d.originCountry)}</Fact>
          <Fact name="Destination country">{country(d.destinationCountry)}</Fact>
          <Fact name="Incoterm">{d.incoterm}</Fact>
          <Fact name="UCR">{d.ucr}</Fact>
          <Fact name="Transport document">
            {d.transportDocument &&
              `${d.transportDocument}${d.transportDocumentType ? ` (type ${d.transportDocumentType})` : ''}`}
          </Fact>
          <Fact name="Procedure">{d.procedure}</Fact>
          <Fact name="Additional procedure">{d.additionalProcedure}</Fact>
          <Fact name="Payment method">{d.paymentMethod}</Fact>
          <Fact name="Kind of declaration">{d.processingMode}</Fact>
        </dl>
      </section>
    </div>
  );
}
