// Entry of the import worker thread: loads TypeScript through tsx, then the worker itself.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
