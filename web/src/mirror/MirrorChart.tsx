import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { useChart } from '../useChart.ts';
import type { Month } from './months.ts';

// only what this chart draws goes into the page's bundle
use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Option = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

/** Colours with at least 3:1 contrast on white; the gap lines differ in dash and symbol too. */
const colour = { matched: '#166534', unmatched: '#b45309' };
const lines = [
  { colour: '#1d4ed8', dash: 'dashed', symbol: 'circle' },
  { colour: '#57606a', dash: 'dotted', symbol: 'triangle' },
  { colour: '#7c3aed', dash: 'solid', symbol: 'diamond' },
] as const;

/**
 * Per export month: matched and unmatched exports as stacked bars, and the value gap (import minus
 * export, per currency) as a line on its own axis. `label` says in words what it shows; the
 * figures are in the table beside it.
 */
export function MirrorChart({
  months,
  currencies,
  label,
}: {
  months: Month[];
  currencies: string[];
  label: string;
}) {
  const option = useMemo(
    (): Option => ({
      animation: false,
      grid: { left: 56, right: 80, top: 48, bottom: 32 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: months.map((m) => m.month) },
      yAxis: [
        { type: 'value', name: 'exports', min: 0, minInterval: 1 },
        { type: 'value', name: 'value gap', splitLine: { show: false } },
      ],
      series: [
        {
          name: 'Matched',
          type: 'bar',
          stack: 'exports',
          color: colour.matched,
          data: months.map((m) => m.matched),
        },
        {
          name: 'Unmatched',
          type: 'bar',
          stack: 'exports',
          color: colour.unmatched,
          data: months.map((m) => m.unmatched),
        },
        ...currencies.slice(0, lines.length).map((currency, i): LineSeriesOption => ({
          name: `Value gap (${currency})`,
          type: 'line',
          yAxisIndex: 1,
          color: lines[i]?.colour,
          symbol: lines[i]?.symbol,
          symbolSize: 7,
          lineStyle: { type: lines[i]?.dash, width: 2 },
          data: months.map((m) => m.valueGap[currency] ?? 0),
        })),
      ],
    }),
    [months, currencies],
  );

  const ref = useChart(option);
  return <div ref={ref} role="img" aria-label={label} className="chart" style={{ height: 320 }} />;
}
