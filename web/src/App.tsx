import { useEffect, useRef, useState } from 'react';
import { api, RequestFailed, type User } from './api.ts';
import { Login } from './Login.tsx';
import { pagesFor, preload, type PageDef, type PageProps } from './pages.ts';
import { preloadModule, useModule } from './useModule.ts';

// loaded when first opened
const loadDeclarationView = () => import('./DeclarationView.tsx');

// while the session is checked, the bundle of the page asked for is already on its way
const firstPath = window.location.pathname;
if (/^\/declarations\/\d+$/.test(firstPath)) void preloadModule(loadDeclarationView);
else preload(firstPath);
const firstMe = api<{ user: User }>('GET', '/api/auth/me');

/** Where the browser is: the path decides the page, so links, reloads and Back work. */
function useLocation(): [string, (path: string) => void] {
  const here = () => window.location.pathname + window.location.search;
  const [location, setLocation] = useState(here);
  useEffect(() => {
    const moved = () => setLocation(here());
    window.addEventListener('popstate', moved);
    return () => window.removeEventListener('popstate', moved);
  }, []);
  function go(to: string) {
    if (to === here()) return;
    window.history.pushState(null, '', to);
    setLocation(here());
    window.scrollTo(0, 0);
  }
  return [location, go];
}

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [location, go] = useLocation();
  const path = location.split('?')[0] ?? '/';
  // where a declaration was opened from, to go back to
  const listPath = useRef('/');

  useEffect(() => {
    firstMe.then(
      (me) => setUser(me.user),
      () => setUser(null),
    );
  }, []);

  async function signOut() {
    await api('POST', '/api/auth/logout').catch((e: unknown) => {
      if (!(e instanceof RequestFailed)) throw e;
    });
    setUser(null);
  }

  if (user === undefined) return <p className="loading">Loading…</p>;
  if (user === null) return <Login onSignedIn={setUser} />;
  const mine = pagesFor(user.role);
  const opened = /^\/declarations\/(\d+)$/.exec(path);
  const page = opened ? undefined : (mine.find((p) => p.path === path) ?? mine[0]);
  const open = (id: number) => {
    listPath.current = path;
    go(`/declarations/${id}`);
  };
  return (
    <div className="app">
      <a className="skip" href="#content">
        Skip to content
      </a>
      <header>
        <strong>Clearway</strong>
        <nav aria-label="Pages">
          {mine.map((p) => (
            <button key={p.path} aria-current={p === page ? 'page' : undefined} onClick={() => go(p.path)}>
              {p.title}
            </button>
          ))}
        </nav>
        <span className="who">
          {user.username} · {user.role.replace('_', ' ')}
          {user.offices.length
            ? ` · ${user.offices.length > 1 ? 'offices' : 'office'} ${user.offices.join(', ')}`
            : ''}
        </span>
        <button onClick={signOut}>Sign out</button>
      </header>
      <main id="content">
        {opened ? (
          <DeclarationPage
            key={opened[1]}
            id={Number(opened[1])}
            user={user}
            onBack={() => go(listPath.current)}
            onAmend={(id) => go(`/lodge?amend=${id}`)}
          />
        ) : page ? (
          <Page key={location} page={page} user={user} open={open} go={go} />
        ) : (
          <p>There is no page for your role.</p>
        )}
      </main>
    </div>
  );
}

function Page({ page, ...props }: PageProps & { page: PageDef }) {
  const Component = useModule(page.load);
  return Component ? <Component {...props} /> : <p>Loading…</p>;
}

function DeclarationPage(props: {
  id: number;
  user: User;
  onBack: () => void;
  onAmend: (id: number) => void;
}) {
  const DeclarationView = useModule(loadDeclarationView);
  return DeclarationView ? <DeclarationView {...props} /> : <p>Loading…</p>;
}
