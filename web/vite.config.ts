import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { routeSizes } from './route-sizes.ts';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), routeSizes()],
  build: { outDir: 'dist', emptyOutDir: true, reportCompressedSize: true },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
