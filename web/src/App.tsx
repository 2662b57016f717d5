import { lazy, Suspense, useEffect, useState } from 'react';
import { api, RequestFailed, type User } from './api.ts';
import { Declarations } from './Declarations.tsx';
import { Login } from './Login.tsx';
import { Queues } from './Queues.tsx';
import { Worklist } from './Worklist.tsx';

// loaded when first opened, with its charts
const DeclarationView = lazy(() => import('./DeclarationView.tsx'));

type Page = 'worklist' | 'queues' | 'declarations';

function pagesFor(role: string): Page[] {
  if (role === 'supervisor' || role === 'risk_analyst') return ['worklist', 'queues', 'declarations'];
  if (role === 'officer') return ['worklist', 'declarations'];
  return ['declarations'];
}

const titles: Record<Page, string> = { worklist: 'Worklist', queues: 'Queues', declarations: 'Declarations' };

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [page, setPage] = useState<Page>('declarations');
  const [open, setOpen] = useState<number | null>(null);

  useEffect(() => {
    api<{ user: User }>('GET', '/api/auth/me').then(
      (me) => signedIn(me.user),
      () => setUser(null),
    );
  }, []);

  function signedIn(u: User) {
    setUser(u);
    setPage(pagesFor(u.role)[0] ?? 'declarations');
  }

  async function signOut() {
    await api('POST', '/api/auth/logout').catch((e: unknown) => {
      if (!(e instanceof RequestFailed)) throw e;
    });
    setUser(null);
  }

  if (user === undefined) return <p className="loading">Loading…</p>;
  if (user === null) return <Login onSignedIn={signedIn} />;
  return (
    <div className="app">
      <header>
        <strong>Clearway</strong>
        <nav aria-label="Pages">
          {pagesFor(user.role).map((p) => (
            <button
              key={p}
              aria-current={p === page && open === null ? 'page' : undefined}
              onClick={() => {
                setOpen(null);
                setPage(p);
              }}
            >
              {titles[p]}
            </button>
          ))}
        </nav>
        <span className="who">
          {user.username} · {user.role.replace('_', ' ')}
          {user.office ? ` · office ${user.office}` : ''}
        </span>
        <button onClick={signOut}>Sign out</button>
      </header>
      <main>
        {open !== null ? (
          <Suspense fallback={<p>Loading…</p>}>
            <DeclarationView id={open} onBack={() => setOpen(null)} />
          </Suspense>
        ) : page === 'worklist' ? (
          <Worklist user={user} onOpen={setOpen} />
        ) : page === 'queues' ? (
          <Queues />
        ) : (
          <Declarations onOpen={setOpen} />
        )}
      </main>
    </div>
  );
}
