// Entry of the PDF worker thread: loads TypeScript through tsx, then the worker itself.
import { register } from 'tsx/esm/api';

register();
await import('./pdf-worker.ts');
