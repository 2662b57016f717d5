/**
 * Every page of the application: its path, its title in the navigation, the roles that see it, and
 * its component, loaded as its own bundle when first opened. Adding a page is one entry here.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { User } from './api.ts';

export interface PageProps {
  user: User;
  /** Opens a declaration. */
  open: (id: number) => void;
  /** Goes to another path of the application. */
  go: (path: string) => void;
}

export interface PageDef {
  path: string;
  title: string;
  roles: readonly string[];
  component: LazyExoticComponent<ComponentType<PageProps>>;
}

const staff = ['officer', 'supervisor', 'risk_analyst', 'auditor'];
const lodgers = ['trader', 'declarant'];

export const pages: PageDef[] = [
  {
    path: '/worklist',
    title: 'Worklist',
    roles: ['officer', 'supervisor', 'risk_analyst'],
    component: lazy(() => import('./Worklist.tsx')),
  },
  {
    path: '/queues',
    title: 'Queues',
    roles: ['supervisor', 'risk_analyst'],
    component: lazy(() => import('./Queues.tsx')),
  },
  {
    path: '/declarations',
    title: 'Declarations',
    roles: [...lodgers, ...staff],
    component: lazy(() => import('./Declarations.tsx')),
  },
];

/** The pages a role sees, in navigation order. */
export const pagesFor = (role: string): PageDef[] => pages.filter((p) => p.roles.includes(role));
