import { useState } from 'react';
import { moment } from '../format.ts';
import { useFetched } from '../useFetched.ts';
import { declarationReads } from './access.ts';
import { AttachForm } from './AttachForm.tsx';
import { DocumentReading } from './DocumentReading.tsx';
import {
  contentPath,
  kindWord,
  size,
  type AttachedDocument,
  type DeclarationDocuments,
} from './documents.ts';

/**
 * An image shown on the page when asked for; other documents open as a download. Below it, what
 * reading it found.
 */
function DocumentRow({ doc }: { doc: AttachedDocument }) {
  const [shown, setShown] = useState(false);
  const image = doc.mediaType === 'image/png' || doc.mediaType === 'image/jpeg';
  return (
    <>
      <tr>
        <td>{kindWord(doc.kind)}</td>
        <td>{doc.filename}</td>
        <td>{size(doc.size)}</td>
        <td>
          {doc.uploadedBy}, <time dateTime={doc.uploadedAt}>{moment(doc.uploadedAt)}</time>
        </td>
        <td>
          <a href={contentPath(doc.id)} download={doc.filename}>
            Download<span className="visually-hidden"> {doc.filename}</span>
          </a>
          {image && (
            <>
              {' '}
              <button type="button" aria-expanded={shown} onClick={() => setShown(!shown)}>
                {shown ? 'Hide' : 'Show'} image<span className="visually-hidden"> {doc.filename}</span>
              </button>
            </>
          )}
          {shown && <img className="document-image" src={contentPath(doc.id)} alt={doc.filename} />}
        </td>
      </tr>
      <tr className="reading-row">
        <td colSpan={5}>
          <DocumentReading doc={doc} />
        </td>
      </tr>
    </>
  );
}

/**
 * The documents attached to the declaration: every reader sees the list and opens each; the
 * trader and the declarant of record attach more while the server allows it.
 */
export function Attachments({ id }: { id: number }) {
  const [version, setVersion] = useState(0);
  const { data, problem } = useFetched<DeclarationDocuments>(declarationReads(id).documents, version);
  return (
    <section aria-labelledby="attachments-title">
      <h2 id="attachments-title">Attachments</h2>
      {problem && <p role="alert">{problem}</p>}
      {!data && !problem && <p>Loading documents…</p>}
      {data && data.documents.length === 0 && <p>No document is attached to this declaration.</p>}
      {data && data.documents.length > 0 && (
        <table className="attachments">
          <caption className="visually-hidden">Documents attached to declaration {id}</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">File</th>
              <th scope="col">Size</th>
              <th scope="col">Attached</th>
              <th scope="col">Open</th>
            </tr>
          </thead>
          <tbody>
            {data.documents.map((d) => (
              <DocumentRow key={d.id} doc={d} />
            ))}
          </tbody>
        </table>
      )}
      {data?.allowed.includes('attach') && <AttachForm id={id} onAttached={() => setVersion((v) => v + 1)} />}
    </section>
  );
}
