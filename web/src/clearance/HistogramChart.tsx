import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  type GridComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { useChart } from '../useChart.ts';
import type { Bar } from './buckets.ts';

// only what this chart draws goes into its bundle (loaded when the page draws it)
use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

/**
 * How many declarations took each span of time in one stage, shortest first. `label` says in words
 * what it shows; the figures are in the table beside it.
 */
export function HistogramChart({ bars, label }: { bars: Bar[]; label: string }) {
  const option = useMemo(
    (): Option => ({
      animation: false,
      grid: { left: 48, right: 24, top: 40, bottom: 48, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: bars.map((b) => b.label),
        axisLabel: { interval: 0, rotate: 30 },
      },
      yAxis: { type: 'value', name: 'declarations', minInterval: 1 },
      series: [
        {
          name: 'Declarations',
          type: 'bar',
          color: '#1d4ed8',
          data: bars.map((b) => b.declarations),
        },
      ],
    }),
    [bars],
  );

  const ref = useChart(option);
  return <div ref={ref} role="img" aria-label={label} className="chart" style={{ height: 300 }} />;
}
