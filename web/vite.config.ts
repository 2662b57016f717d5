import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { routeSizes } from './route-sizes.ts';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), routeSizes()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    reportCompressedSize: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // the application's own modules that several pages share travel together, in one request
          // rather than one each (a page with seven small shared modules waited for seven requests
          // behind the browser's six connections)
          groups: [
            {
              name: 'shared',
              // not the charts: they bring their library, which only the pages with a chart load
              test: (id) => /[\\/]web[\\/]src[\\/]/.test(id) && !/Chart\.tsx$|useChart\.ts$/.test(id),
              minShareCount: 2,
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
