/** Prometheus metrics in the text exposition format: request counts and durations, process memory. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  private counters = new Map<string, number>();
  private histograms = new Map<string, { counts: number[]; sum: number; total: number }>();

  inc(name: string, labels: Record<string, string | number>, by = 1) {
    const key = `${name}${format(labels)}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  observe(name: string, labels: Record<string, string | number>, seconds: number) {
    const key = `${name}|${format(labels)}`;
    const h = this.histograms.get(key) ?? { counts: buckets.map(() => 0), sum: 0, total: 0 };
    buckets.forEach((b, i) => {
      if (seconds <= b) h.counts[i] = (h.counts[i] ?? 0) + 1;
    });
    h.sum += seconds;
    h.total += 1;
    this.histograms.set(key, h);
  }

  render(): string {
    const lines: string[] = [];
    for (const [key, value] of this.counters) lines.push(`${key} ${value}`);
    for (const [key, h] of this.histograms) {
      const [name, labels = ''] = key.split('|');
      const inner = labels.slice(1, -1);
      const join = (extra: string) => `{${inner ? inner + ',' : ''}${extra}}`;
      buckets.forEach((b, i) => lines.push(`${name}_bucket${join(`le="${b}"`)} ${h.counts[i] ?? 0}`));
      lines.push(
        `${name}_bucket${join('le="+Inf"')} ${h.total}`,
        `${name}_sum${labels} ${h.sum}`,
        `${name}_count${labels} ${h.total}`,
      );
    }
    const mem = process.memoryUsage();
    lines.push(`process_resident_memory_bytes ${mem.rss}`, `nodejs_heap_used_bytes ${mem.heapUsed}`);
    lines.push(`process_uptime_seconds ${process.uptime()}`);
    return lines.join('\n') + '\n';
  }
}

function format(labels: Record<string, string | number>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${String(v).replace(/["\\\n]/g, '_')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

export const metricsPlugin = fp(async (app: FastifyInstance, options: { metrics: Metrics }) => {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status: reply.statusCode };
    options.metrics.inc('http_requests_total', labels);
    options.metrics.observe(
      'http_request_duration_seconds',
      { method: request.method, route },
      reply.elapsedTime / 1000,
    );
  });
});
