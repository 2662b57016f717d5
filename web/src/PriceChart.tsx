import { LineChart } from 'echarts/charts';
import { GridComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([
  LineChart,
  GridComponent,
  TooltipComponent,
  MarkLineComponent,
  MarkAreaComponent,
  CanvasRenderer,
]);

/** A price reference as the API gives it (GET /api/risk/prices/:hs6). */
export interface PriceReference {
  hs6: string;
  origin: string;
  currency: string;
  n: number;
  logMedian: number;
  logMad: number;
  p05: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  low: number;
  high: number;
}

const money = (v: number) => v.toLocaleString('en', { maximumSignificantDigits: 3 });

/**
 * The distribution of unit values of a price reference: ln(unit value) is taken as normal around
 * the median with the robust spread of the observations, drawn on a log axis, with the middle 90%
 * shaded, the anomaly band's edges dashed and, when given, a declared unit value marked.
 */
export function PriceChart({ reference: r, declared }: { reference: PriceReference; declared?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const sigma = Math.max(1.4826 * r.logMad, 0.05);
    const lnDeclared = declared && declared > 0 ? Math.log(declared) : r.logMedian;
    const from = Math.min(r.logMedian - 4 * sigma, Math.log(r.low), lnDeclared - sigma);
    const to = Math.max(r.logMedian + 4 * sigma, Math.log(r.high), lnDeclared + sigma);
    const points: [number, number][] = [];
    for (let k = 0; k <= 120; k++) {
      const ln = from + ((to - from) * k) / 120;
      const z = (ln - r.logMedian) / sigma;
      points.push([Math.exp(ln), Math.exp(-0.5 * z * z)]);
    }
    const chart = echarts.init(ref.current);
    const edge = { lineStyle: { color: '#57606a', type: 'dashed' as const } };
    chart.setOption({
      animation: false,
      grid: { left: 16, right: 24, top: 24, bottom: 40 },
      tooltip: { trigger: 'axis', valueFormatter: () => '' },
      xAxis: { type: 'log', name: `${r.currency} per kg`, nameLocation: 'middle', nameGap: 26 },
      yAxis: { type: 'value', show: false },
      series: [
        {
          type: 'line',
          data: points,
          showSymbol: false,
          lineStyle: { color: '#14324f' },
          areaStyle: { color: 'rgba(20, 50, 79, 0.08)' },
          markArea: {
            silent: true,
            itemStyle: { color: 'rgba(20, 50, 79, 0.12)' },
            data: [[{ xAxis: r.p05, name: 'middle 90%' }, { xAxis: r.p95 }]],
          },
          markLine: {
            symbol: 'none',
            label: { formatter: '{b}', position: 'insideEndTop' },
            data: [
              { name: `median ${money(r.p50)}`, xAxis: r.p50, lineStyle: { color: '#14324f' } },
              { name: 'band', xAxis: r.low, ...edge, label: { show: false } },
              { name: 'band', xAxis: r.high, ...edge, label: { show: false } },
              ...(declared && declared > 0
                ? [
                    {
                      name: `declared ${money(declared)}`,
                      xAxis: declared,
                      lineStyle: { color: '#b42318', width: 2 },
                    },
                  ]
                : []),
            ],
          },
        },
      ],
    });
    // the canvas follows its box when the window narrows, so that it never widens the page
    const sizes = new ResizeObserver(() => chart.resize());
    sizes.observe(ref.current);
    return () => {
      sizes.disconnect();
      chart.dispose();
    };
  }, [r, declared]);
  const where = r.origin ? `from ${r.origin}` : 'over every origin';
  return (
    <figure className="chart">
      <div
        ref={ref}
        role="img"
        aria-label={`Unit values of HS ${r.hs6} ${where} in ${r.currency} per kg, from ${r.n} declarations: median ${money(r.p50)}, middle 90% from ${money(r.p05)} to ${money(r.p95)}, anomalies outside ${money(r.low)} to ${money(r.high)}${declared ? `; declared ${money(declared)}` : ''}`}
        style={{ width: '100%', maxWidth: 640, height: 200 }}
      />
      <figcaption>
        HS {r.hs6} {where}, {r.n} declarations: median {money(r.p50)} {r.currency}/kg, middle 90%{' '}
        {money(r.p05)}–{money(r.p95)}
        {declared ? (
          <>
            ; <strong>declared {money(declared)}</strong>
          </>
        ) : null}
      </figcaption>
    </figure>
  );
}
