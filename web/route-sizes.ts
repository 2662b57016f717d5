/**
 * A Vite plugin that reports, after a build, what each page of the application costs to open:
 * the entry chunk with everything it imports, plus the page's own chunk and its imports (shared
 * chunks counted once), raw and gzipped. Pages are read from the lazy imports of src/pages.ts
 * (by path), and the declaration view that src/App.tsx loads. Also written to dist/route-sizes.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin, Rollup } from 'vite';

interface Route {
  route: string;
  module: string;
}

/** The routes and the module each loads, from the lazy imports of the page registry and the app. */
function routesOf(src: string): Route[] {
  const routes: Route[] = [];
  const pages = readFileSync(path.join(src, 'pages.ts'), 'utf8');
  for (const m of pages.matchAll(/path: '([^']+)'[\s\S]*?import\('\.\/([^']+)'\)/g))
    routes.push({ route: m[1] ?? '', module: path.join(src, m[2] ?? '') });
  const app = readFileSync(path.join(src, 'App.tsx'), 'utf8');
  if (app.includes("import('./DeclarationView.tsx')"))
    routes.push({ route: '/declarations/:id', module: path.join(src, 'DeclarationView.tsx') });
  return routes;
}

export function routeSizes(): Plugin {
  let src = '';
  return {
    name: 'clearway-route-sizes',
    apply: 'build',
    configResolved(config) {
      src = path.join(config.root, 'src');
    },
    generateBundle(_options, bundle: Rollup.OutputBundle) {
      const chunks = Object.values(bundle).filter((o): o is Rollup.OutputChunk => o.type === 'chunk');
      const byFile = new Map(chunks.map((c) => [c.fileName, c]));
      const closure = (start: Rollup.OutputChunk, into: Set<string>) => {
        if (into.has(start.fileName)) return;
        into.add(start.fileName);
        for (const f of start.imports) {
          const next = byFile.get(f);
          if (next) closure(next, into);
        }
      };
      const entry = chunks.find((c) => c.isEntry);
      if (!entry) return;
      const rows = routesOf(src).map(({ route, module }) => {
        const files = new Set<string>();
        closure(entry, files);
        const page = chunks.find((c) => c.facadeModuleId === module);
        if (page) closure(page, files);
        let bytes = 0;
        let gzip = 0;
        for (const f of files) {
          const code = byFile.get(f)?.code ?? '';
          bytes += Buffer.byteLength(code);
          gzip += gzipSync(code).length;
        }
        return {
          route,
          chunks: files.size,
          kB: +(bytes / 1024).toFixed(1),
          gzipKB: +(gzip / 1024).toFixed(1),
        };
      });
      this.emitFile({ type: 'asset', fileName: 'route-sizes.json', source: JSON.stringify(rows, null, 2) });
      const width = Math.max(...rows.map((r) => r.route.length));
      const lines = rows.map(
        (r) =>
          `  ${r.route.padEnd(width)}  ${String(r.kB).padStart(7)} kB  ${String(r.gzipKB).padStart(6)} kB gzip  (${r.chunks} chunks)`,
      );
      this.info(`what opening each page loads (entry + page, shared chunks once):\n${lines.join('\n')}`);
    },
  };
}
