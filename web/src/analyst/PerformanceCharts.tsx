import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';
import { percent } from './format.ts';
import { chartPercent, liftText, type PeriodReport, type ProfilePrecision } from './performance.ts';

// only what these two charts draw goes into the page's bundle
use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

/** Colours with at least 3:1 contrast on white (WCAG AA for graphics); lines differ in dash and symbol too. */
const colour = { targeted: '#b42318', random: '#1d4ed8', lift: '#57606a' };

type Option = ComposeOption<
  LineSeriesOption | BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

/**
 * Hit rates of targeted and random controls per period, and the lift between them on its own
 * axis. Lines differ in dash and symbol as well as colour.
 */
export function HitRateChart({ periods }: { periods: PeriodReport[] }) {
  const option = useMemo(
    (): Option => ({
      grid: { left: 56, right: 56, top: 40, bottom: 32 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: periods.map((p) => p.period) },
      yAxis: [
        { type: 'value', name: 'hit rate %', min: 0 },
        { type: 'value', name: 'lift', min: 0, splitLine: { show: false } },
      ],
      series: [
        {
          name: 'Targeted',
          type: 'line',
          symbol: 'circle',
          symbolSize: 7,
          color: colour.targeted,
          data: periods.map((p) => chartPercent(p.targeted.hitRate)),
        },
        {
          name: 'Random',
          type: 'line',
          symbol: 'rect',
          symbolSize: 7,
          color: colour.random,
          lineStyle: { type: 'dashed' },
          data: periods.map((p) => chartPercent(p.random.hitRate)),
        },
        {
          name: 'Lift',
          type: 'line',
          yAxisIndex: 1,
          symbol: 'triangle',
          symbolSize: 7,
          color: colour.lift,
          lineStyle: { type: 'dotted' },
          data: periods.map((p) => (p.lift === null ? null : Math.round(p.lift * 100) / 100)),
        },
      ],
    }),
    [periods],
  );
  const label = `Hit rates per period: ${periods
    .map(
      (p) =>
        `${p.period} targeted ${percent(p.targeted.hitRate)}, random ${percent(p.random.hitRate)}, lift ${liftText(p.lift)}`,
    )
    .join('; ')}`;
  return <Chart option={option} label={label} height={280} />;
}

/** The share of each profile's controlled selections that were non-compliant. */
export function ProfileChart({ profiles }: { profiles: ProfilePrecision[] }) {
  const measured = useMemo(() => profiles.filter((p) => p.precision !== null).reverse(), [profiles]);
  const option = useMemo(
    (): Option => ({
      grid: { left: 160, right: 48, top: 8, bottom: 24 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', name: '%', min: 0, max: 100 },
      yAxis: { type: 'category', data: measured.map((p) => `${p.code} v${p.version}`) },
      series: [
        {
          type: 'bar',
          name: 'Hit rate',
          color: colour.targeted,
          label: { show: true, position: 'right', formatter: '{c} %' },
          data: measured.map((p) => chartPercent(p.precision)),
        },
      ],
    }),
    [measured],
  );
  if (measured.length === 0) return null;
  const label = `Hit rate of each profile: ${measured
    .map((p) => `${p.code} version ${p.version} ${percent(p.precision)} of ${p.controls} controlled`)
    .join('; ')}`;
  return <Chart option={option} label={label} height={40 + measured.length * 28} />;
}

/**
 * A chart drawn on canvas, again when its option changes (so options are memoised) and resized
 * with the window. `label` says in words what it shows; the same numbers are in a table below.
 */
function Chart({ option, label, height }: { option: Option; label: string; height: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = init(ref.current);
    chart.setOption({ animation: false, ...option });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option]);
  return <div ref={ref} role="img" aria-label={label} className="chart" style={{ height }} />;
}
