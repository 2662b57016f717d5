import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { problemOf } from '../exchange/format.ts';
import type { PageProps } from '../pages.ts';
import { AgencyPanel } from './AgencyPanel.tsx';
import { AgreementList } from './AgreementList.tsx';
import { DraftForm } from './DraftForm.tsx';
import type { Agencies, Agreement, CatalogField } from './types.ts';

/**
 * Data-sharing agreements with partner agencies, for administrators and supervisors: the
 * agreements with their status and whether in force, the decisions the reader may take (four-eyes:
 * the server says which), a draft form for administrators, and the agencies.
 */
export default function Agreements({ user }: PageProps) {
  const [agreements, setAgreements] = useState<Agreement[] | null>(null);
  const [agencies, setAgencies] = useState<Agencies | null>(null);
  const [catalog, setCatalog] = useState<CatalogField[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  async function load() {
    try {
      const [list, agencyList] = await Promise.all([
        api<{ agreements: Agreement[] }>('GET', '/api/sharing/agreements'),
        api<Agencies>('GET', '/api/sharing/agencies'),
      ]);
      setAgreements(list.agreements);
      setAgencies(agencyList);
      setProblem(null);
    } catch (e) {
      setProblem(problemOf(e));
    }
  }
  useEffect(() => {
    void load();
    if (user.role === 'administrator')
      api<{ fields: CatalogField[] }>('GET', '/api/catalog').then(
        (c) => setCatalog(c.fields.filter((f) => f.type !== 'list')),
        (e: unknown) => setProblem(problemOf(e)),
      );
  }, [user.role]);

  return (
    <section aria-labelledby="agreements-title">
      <h1 id="agreements-title">Agreements</h1>
      {problem && <p role="alert">{problem}</p>}
      {agreements && <AgreementList agreements={agreements} onDecided={load} />}
      {user.role === 'administrator' && agencies && (
        <DraftForm agencies={agencies.agencies} catalog={catalog} onDrafted={load} />
      )}
      {agencies && <AgencyPanel agencies={agencies} onChanged={load} />}
    </section>
  );
}
