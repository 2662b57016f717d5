import { useState } from 'react';

/** A file name from a declaration's reference: letters, digits, dots, dashes and underscores. */
export const xmlFileName = (reference: string) =>
  `${reference.replace(/[^A-Za-z0-9._-]+/g, '_') || 'declaration'}.xml`;

/**
 * Downloads the declaration as a WCO DEC-DMS 2 message: asked for with `Accept: application/xml` on
 * the session (a plain link cannot say what it accepts), then saved under the declaration's reference.
 */
export function DownloadXml({ id, reference }: { id: number; reference: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function download() {
    setProblem(null);
    setBusy(true);
    try {
      const res = await fetch(`/api/declarations/${id}`, {
        credentials: 'same-origin',
        headers: { accept: 'application/xml' },
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { message?: string };
        throw new Error(body.message ?? `the server answered ${res.status}`);
      }
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = xmlFileName(reference);
      document.body.append(a);
      a.click();
      a.remove();
      // the browser has taken the file once the click is handled
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      setProblem(`The WCO XML could not be downloaded: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" onClick={() => void download()} disabled={busy}>
        Download WCO XML
      </button>
      {problem && <p role="alert">{problem}</p>}
    </>
  );
}
