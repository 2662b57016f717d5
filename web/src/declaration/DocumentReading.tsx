import type { ReactNode } from 'react';
import type { AttachedDocument } from './documents.ts';
import { contentPath } from './documents.ts';
import {
  boxStyle,
  discrepancyWords,
  extractionOf,
  headerFields,
  reviewOf,
  type DocumentDiscrepancy,
  type DocumentExtraction,
  type Located,
} from './reading.ts';

const where = (f: { page: number; text: string }) => `page ${f.page}: “${f.text}”`;

function Evidence({ of }: { of: { page: number; text: string } | null | undefined }) {
  return of ? <span className="evidence">{where(of)}</span> : <span className="evidence">no evidence</span>;
}

const shown = (f: Located<unknown> | undefined) => (f ? String(f.value) : '—');

/** The header fields and the line items read, each with the text it was read from. */
function Fields({ e }: { e: DocumentExtraction }) {
  const f = e.fields;
  return (
    <>
      <table className="reading-fields">
        <caption>Fields read {e.method === 'ocr' ? 'by OCR' : 'from the text'}</caption>
        <tbody>
          {headerFields.map(([key, label]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <td>{shown(f[key])}</td>
              <td>
                <Evidence of={f[key]} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {f.lines.length > 0 && (
        <table className="reading-lines">
          <caption>Lines read</caption>
          <thead>
            <tr>
              <th scope="col">Description</th>
              <th scope="col">Quantity</th>
              <th scope="col">Unit</th>
              <th scope="col">Unit price</th>
              <th scope="col">Amount</th>
            </tr>
          </thead>
          <tbody>
            {f.lines.map((l, i) => (
              <tr key={i}>
                <td>{l.description.value}</td>
                <td>{shown(l.quantity)}</td>
                <td>{shown(l.unit)}</td>
                <td>{shown(l.unitPrice)}</td>
                <td>{shown(l.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The discrepancies, each with its evidence. */
function Discrepancies({ list }: { list: DocumentDiscrepancy[] }) {
  if (list.length === 0) return <p>The review found no discrepancy with the declaration.</p>;
  return (
    <>
      <h4>Discrepancies with the declaration</h4>
      <ul className="discrepancies">
        {list.map((d, i) => (
          <li key={i}>
            <strong>{discrepancyWords[d.code]}</strong>: {d.message} <Evidence of={d.evidence} />
          </li>
        ))}
      </ul>
    </>
  );
}

/** An image with each discrepancy's region marked, the boxes scaled with the picture. */
function MarkedImage({
  doc,
  e,
  list,
}: {
  doc: AttachedDocument;
  e: DocumentExtraction;
  list: DocumentDiscrepancy[];
}) {
  const page = e.pageSizes[0];
  const marks = list.filter((d) => d.evidence?.box && d.evidence.page === 1);
  return (
    <figure className="marked-image">
      <div className="marked-image-frame">
        <img src={contentPath(doc.id)} alt={`${doc.filename}, as attached`} />
        {page &&
          marks.map((d, i) =>
            d.evidence?.box ? (
              <span
                key={i}
                className="evidence-box"
                role="img"
                aria-label={`${discrepancyWords[d.code]}: “${d.evidence.text}”`}
                style={boxStyle(d.evidence.box, page)}
              />
            ) : null,
          )}
      </div>
      <figcaption>The regions the discrepancies were read from are outlined.</figcaption>
    </figure>
  );
}

/** A text document's lines, those the discrepancies were read from highlighted. */
function MarkedText({ e, list }: { e: DocumentExtraction; list: DocumentDiscrepancy[] }) {
  const evidence = list.flatMap((d) => (d.evidence ? [d.evidence.text] : []));
  const lines = e.text.split('\n').filter((l) => l.trim() !== '');
  return (
    <figure className="marked-text">
      <ol>
        {lines.map((line, i) => {
          const marked = evidence.some((t) => t !== '' && line.includes(t));
          return <li key={i}>{marked ? <mark>{line}</mark> : line}</li>;
        })}
      </ol>
      <figcaption>
        The document's text; the lines the discrepancies were read from are highlighted.
      </figcaption>
    </figure>
  );
}

/** What reading one document found, as the caller may see it. */
export function DocumentReading({ doc }: { doc: AttachedDocument }) {
  const title = `Reading of ${doc.filename}`;
  let body: ReactNode;
  const e = extractionOf(doc.extraction);
  const review = reviewOf(doc.review);
  if (doc.readAt === null) body = <p>Not read yet.</p>;
  else if (doc.readError !== null) body = <p>Could not be read: {doc.readError}</p>;
  else if (!e) body = <p>Read; nothing was found.</p>;
  else {
    const list = review?.discrepancies;
    const image = doc.mediaType === 'image/png' || doc.mediaType === 'image/jpeg';
    body = (
      <div className="reading">
        <div>
          <Fields e={e} />
          {review && !list && <p>Reviewed against the declaration by customs.</p>}
          {list && <Discrepancies list={list} />}
        </div>
        {list &&
          list.length > 0 &&
          (image ? <MarkedImage doc={doc} e={e} list={list} /> : <MarkedText e={e} list={list} />)}
      </div>
    );
  }
  return (
    <section aria-label={title} className="document-reading">
      <h3>{title}</h3>
      {body}
    </section>
  );
}
