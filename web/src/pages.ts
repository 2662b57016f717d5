/**
 * Every page of the application: its path, its title in the navigation, the roles that see it, and
 * how to load its component, as its own bundle, when first opened. Adding a page is one entry here.
 */
import type { ComponentType } from 'react';
import { preloadModule } from './useModule.ts';
import type { User } from './api.ts';

export interface PageProps {
  user: User;
  /** Opens a declaration. */
  open: (id: number) => void;
  /** Goes to another path of the application. */
  go: Go;
}

/** Goes to a path of the application: a new step in the history, or in place of this one. */
export type Go = (path: string, how?: { replace: boolean }) => void;

type Module = Promise<{ default: ComponentType<PageProps> }>;

export interface PageDef {
  path: string;
  title: string;
  roles: readonly string[];
  /** Loads the page's bundle (once: the browser keeps the module). */
  load: () => Module;
  /** Shown without signing in too: the page reads only public data and needs no user. */
  public?: true;
}

const staff = ['officer', 'supervisor', 'risk_analyst', 'auditor'];
const lodgers = ['trader', 'declarant'];
// who reads rule profiles, models and performance; only risk analysts change them
const riskReaders = ['risk_analyst', 'supervisor', 'auditor'];

export const pages: PageDef[] = [
  {
    path: '/worklist',
    title: 'Worklist',
    roles: ['officer', 'supervisor', 'risk_analyst'],
    load: () => import('./Worklist.tsx'),
  },
  {
    path: '/queues',
    title: 'Queues',
    roles: ['supervisor', 'risk_analyst'],
    load: () => import('./Queues.tsx'),
  },
  {
    path: '/declarations',
    title: 'Declarations',
    roles: [...lodgers, ...staff],
    load: () => import('./Declarations.tsx'),
  },
  {
    path: '/lodge',
    title: 'Lodge',
    roles: lodgers,
    load: () => import('./Lodge.tsx'),
  },
  {
    path: '/upload',
    title: 'Upload',
    roles: lodgers,
    load: () => import('./Upload.tsx'),
  },
  {
    path: '/profiles',
    title: 'Profiles',
    roles: riskReaders,
    load: () => import('./analyst/Profiles.tsx'),
  },
  {
    path: '/models',
    title: 'Models',
    roles: riskReaders,
    load: () => import('./analyst/Models.tsx'),
  },
  {
    path: '/performance',
    title: 'Performance',
    roles: riskReaders,
    load: () => import('./analyst/Performance.tsx'),
  },
  {
    path: '/monitoring',
    title: 'Trade monitoring',
    roles: riskReaders,
    load: () => import('./monitoring/Monitoring.tsx'),
  },
  {
    path: '/prices',
    title: 'Prices',
    roles: staff,
    load: () => import('./analyst/Prices.tsx'),
  },
  {
    path: '/dashboards',
    title: 'Dashboards',
    // traders and declarants see the statistics of the declarations they may read
    roles: [...staff, ...lodgers],
    load: () => import('./Dashboards.tsx'),
  },
  {
    path: '/quality',
    title: 'Data quality',
    // the server scopes the scores: traders and declarants see those of their own declarations
    roles: [...staff, ...lodgers],
    load: () => import('./quality/Quality.tsx'),
  },
  {
    path: '/clearance',
    title: 'Clearance time',
    // the server scopes the study: traders and declarants see their own declarations' times
    roles: [...staff, ...lodgers],
    load: () => import('./clearance/ClearanceTime.tsx'),
  },
  {
    path: '/retention',
    title: 'Retention',
    roles: ['supervisor', 'auditor', 'administrator'],
    load: () => import('./retention/Retention.tsx'),
  },
  {
    path: '/ledger',
    title: 'Ledger',
    // the server lets auditors alone read the ledger
    roles: ['auditor'],
    load: () => import('./ledger/Ledger.tsx'),
  },
  {
    path: '/mirror',
    title: 'Mirror statistics',
    // partners' exports against the imports lodged here; the server lets administrators read them too
    roles: ['risk_analyst', 'administrator'],
    load: () => import('./mirror/MirrorStatistics.tsx'),
  },
  {
    path: '/exchange',
    title: 'Exchange',
    roles: ['administrator'],
    load: () => import('./exchange/Exchange.tsx'),
  },
  {
    path: '/feed',
    title: 'Feed',
    roles: ['partner_agency'],
    load: () => import('./sharing/Feed.tsx'),
  },
  {
    path: '/access-log',
    title: 'Access log',
    // an agency's users see their own agency's deliveries; these officials every agency's
    roles: ['partner_agency', 'administrator', 'supervisor', 'auditor'],
    load: () => import('./sharing/AccessLog.tsx'),
  },
  {
    path: '/shared',
    title: 'Shared with agencies',
    roles: lodgers,
    load: () => import('./sharing/SharedWith.tsx'),
  },
  {
    path: '/agreements',
    title: 'Agreements',
    // data-sharing agreements with partner agencies: administrators draft, a second official decides
    roles: ['administrator', 'supervisor'],
    load: () => import('./sharing/Agreements.tsx'),
  },
  {
    path: '/webhooks',
    title: 'Pushed deliveries',
    roles: ['partner_agency'],
    load: () => import('./sharing/Webhooks.tsx'),
  },
  {
    path: '/findings',
    title: 'Findings',
    // what a partner agency found on the declarations it received, sent to customs
    roles: ['partner_agency'],
    load: () => import('./sharing/Findings.tsx'),
  },
  {
    path: '/users',
    title: 'Users',
    roles: ['administrator'],
    load: () => import('./users/Users.tsx'),
  },
  {
    path: '/releases',
    title: 'Releases',
    // releases of public trade statistics: analysts prepare them, supervisors approve and publish
    roles: ['risk_analyst', 'supervisor'],
    load: () => import('./open-data/Releases.tsx'),
  },
  {
    path: '/open-data',
    title: 'Open data',
    // the published trade statistics, read by anyone without signing in
    roles: [...staff, ...lodgers, 'administrator'],
    public: true,
    load: () => import('./open-data/OpenData.tsx'),
  },
];

/** Starts loading the bundle of the page at `path` (before knowing who is signed in, to save a round trip). */
export function preload(path: string): void {
  const page = pages.find((p) => p.path === path);
  if (page) void preloadModule(page.load);
}

/** The page at `path` that is shown without signing in, if there is one. */
export const publicPage = (path: string): PageDef | undefined =>
  pages.find((p) => p.public && p.path === path);

/** The pages a role sees, in navigation order. */
export const pagesFor = (role: string): PageDef[] => pages.filter((p) => p.roles.includes(role));
