import { useEffect, useRef, useState, type ComponentType } from 'react';
import { api, fetchEarly, forgetEarly, RequestFailed, type User } from './api.ts';
import {
  agencyFindingsReaders,
  assessmentReaders,
  declarationReads,
  isOfficial,
} from './declaration/access.ts';
import { Confirm } from './Confirm.tsx';
import { Login } from './Login.tsx';
import { pagesFor, preload, publicPage, type Go, type PageDef, type PageProps } from './pages.ts';
import { preloadModule, useModule } from './useModule.ts';
import { discardUnsaved, hasUnsaved } from './useUnsaved.ts';
import { heldOf, knownOffice, worklistRead } from './worklist-office.ts';

// loaded when first opened
const loadDeclarationView = () => import('./DeclarationView.tsx');

// while the session is checked, the bundle of the page asked for is already on its way, and so is
// a declaration's data when the page is a declaration (what the role may read, once the role is
// known); the worklist's first page is asked for as soon as the session says whose it is
// (index.html has asked for the session already, before this script was read)
const firstPath = window.location.pathname;
const firstMe = api<{ user: User }>('GET', '/api/auth/me');
const firstDeclaration = /^\/declarations\/(\d+)$/.exec(firstPath)?.[1];
if (firstDeclaration) {
  void preloadModule(loadDeclarationView);
  const reads = declarationReads(Number(firstDeclaration));
  for (const path of [reads.declaration, reads.events, reads.offices]) fetchEarly(path);
} else preload(firstPath);
firstMe.then(
  ({ user }) => {
    if (firstPath === '/worklist' && pagesFor(user.role).some((p) => p.path === firstPath)) {
      const asked = new URLSearchParams(window.location.search);
      const office = asked.get('office')?.trim().toUpperCase() || knownOffice(user);
      if (office) fetchEarly(worklistRead(office, heldOf(asked.get('assigned'))));
    }
    if (!firstDeclaration) return;
    const reads = declarationReads(Number(firstDeclaration));
    if (isOfficial(user.role)) fetchEarly(reads.controlResults);
    if (assessmentReaders.includes(user.role)) fetchEarly(reads.assessment);
    if (agencyFindingsReaders.includes(user.role)) fetchEarly(reads.agencyFindings);
  },
  // not signed in: what was asked for early was refused, and after signing in it is asked again
  () => forgetEarly(),
);

/**
 * Where the browser is: the path decides the page, so links, reloads and Back work. Leaving a page
 * whose forms hold unsaved input (or signing out) waits for the person's answer: `leaving` is what
 * happens if they confirm.
 */
function useLocation() {
  const here = () => window.location.pathname + window.location.search;
  const [location, setLocation] = useState(here);
  const [leaving, setLeaving] = useState<{ leave: () => void } | null>(null);
  const shown = useRef(location);
  shown.current = location;
  useEffect(() => {
    const moved = () => {
      if (!hasUnsaved()) return setLocation(here());
      // the browser has already moved: a new entry puts the page's address back while the question
      // is open; leaving goes back over that entry, to where the browser had gone, as if the
      // question had not been asked (no step of the history leads to the discarded form)
      window.history.pushState(null, '', shown.current);
      setLeaving({ leave: () => window.history.back() });
    };
    window.addEventListener('popstate', moved);
    return () => window.removeEventListener('popstate', moved);
  }, []);
  function move(to: string, how?: { replace: boolean }) {
    if (to === here()) return;
    // replacing: the address says more of where the user already is (no new Back step)
    if (how?.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    setLocation(here());
    window.scrollTo(0, 0);
  }
  /** Does `leave` at once, or once the person confirms when forms hold unsaved input. */
  const unlessUnsaved = (leave: () => void) => {
    if (hasUnsaved()) setLeaving({ leave });
    else leave();
  };
  const go: Go = (to, how) => {
    if (to === here()) return;
    unlessUnsaved(() => move(to, how));
  };
  const question =
    leaving === null ? null : (
      <Confirm
        title="Leave this page?"
        confirm="Leave and discard"
        onConfirm={() => {
          discardUnsaved();
          setLeaving(null);
          leaving.leave();
        }}
        onCancel={() => setLeaving(null)}
      >
        <p>What you typed on this page is not saved. Leaving discards it.</p>
      </Confirm>
    );
  return { location, go, unlessUnsaved, question };
}

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const { location, go, unlessUnsaved, question } = useLocation();
  const path = location.split('?')[0] ?? '/';
  // where a declaration was opened from, to go back to
  const listPath = useRef('/');

  useEffect(() => {
    firstMe.then(
      (me) => setUser(me.user),
      () => setUser(null),
    );
  }, []);

  // signing out with unsaved input asks first, as leaving the page does
  const signOut = () =>
    unlessUnsaved(() => {
      void api('POST', '/api/auth/logout')
        .catch((e: unknown) => {
          if (!(e instanceof RequestFailed)) throw e;
        })
        .then(() => setUser(null));
    });

  if (user === undefined) return <p className="loading">Loading…</p>;
  if (user === null) {
    // a public page is shown as it is; every other path asks to sign in first
    const open = publicPage(path);
    if (open) return <PublicPage page={open} go={go} />;
    return (
      <>
        <Login onSignedIn={setUser} />
        <p className="public-link">
          <a href="/open-data">Open data</a>: the published trade statistics, without signing in.
        </p>
      </>
    );
  }
  const mine = pagesFor(user.role);
  const opened = /^\/declarations\/(\d+)$/.exec(path);
  const page = opened ? undefined : (mine.find((p) => p.path === path) ?? mine[0]);
  const open = (id: number) => {
    // back to the list as it was: its search or office stays in the address
    listPath.current = location;
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
      {question}
    </div>
  );
}

/** A public page for a visitor who has not signed in: its own header, with the way to sign in. */
function PublicPage({ page, go }: { page: PageDef; go: Go }) {
  const Component = useModule(page.load) as ComponentType<{ go: Go }> | undefined;
  return (
    <div className="app">
      <a className="skip" href="#content">
        Skip to content
      </a>
      <header>
        <strong>Clearway</strong>
        <nav aria-label="Pages">
          <button aria-current="page" onClick={() => go(page.path)}>
            {page.title}
          </button>
        </nav>
        <a className="sign-in" href="/" onClick={(e) => (e.preventDefault(), go('/'))}>
          Sign in
        </a>
      </header>
      <main id="content">{Component ? <Component go={go} /> : <p>Loading…</p>}</main>
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
