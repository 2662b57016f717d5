import { useState } from 'react';
import { useFetched } from '../useFetched.ts';
import type { PublicKey } from './types.ts';

/**
 * This administration's exchange identity and the public half of its signing key, as partners
 * register it: the key copies to the clipboard in one press (or is selected, to copy by hand, where
 * the browser does not allow it).
 */
export function Identity() {
  const { data, problem } = useFetched<PublicKey>('/api/exchange/public-key');
  const [copied, setCopied] = useState<string | null>(null);

  async function copy(key: string) {
    try {
      await navigator.clipboard.writeText(key);
      setCopied('Public key copied.');
    } catch {
      const pre = document.getElementById('exchange-public-key');
      if (pre) window.getSelection()?.selectAllChildren(pre);
      setCopied('The browser did not allow copying: the key is selected, copy it with Ctrl+C.');
    }
  }

  return (
    <section aria-labelledby="identity-title" className="panel">
      <h2 id="identity-title">This administration</h2>
      {problem && <p role="alert">{problem}</p>}
      {data && (
        <>
          <dl className="facts">
            <dt>Administration</dt>
            <dd>
              {data.administration ?? 'not set (CLEARWAY_ADMINISTRATION): partners cannot be exchanged with'}
            </dd>
            <dt>Key id</dt>
            <dd>
              <code className="hash">{data.keyId}</code>
            </dd>
            <dt>Algorithm</dt>
            <dd>{data.algorithm} (Ed25519)</dd>
          </dl>
          <h3 id="public-key-title">Public key</h3>
          <pre className="json" id="exchange-public-key" aria-labelledby="public-key-title">
            {data.publicKey}
          </pre>
          <div className="actions">
            <button type="button" onClick={() => void copy(data.publicKey)}>
              Copy public key
            </button>
            <span role="status">{copied}</span>
          </div>
          <p className="hint">
            Partner administrations register this key to verify the messages this administration signs.
          </p>
        </>
      )}
    </section>
  );
}
