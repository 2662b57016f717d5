import { BarChart, type BarSeriesOption } from 'echarts/charts';
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
import type { GroupTimes, Times } from './types.ts';

// only what this chart draws goes into its bundle (loaded when the page draws it)
use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Option = ComposeOption<
  BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

/** Colours with at least 3:1 contrast on white, one per stage of the way to release. */
const colours = ['#57606a', '#1d4ed8', '#7c3aed', '#b45309'];

/**
 * Per group, the mean minutes of each stage from arrival to release stacked into one bar: means add
 * up to the mean total, which medians do not. `label` says in words what it shows; the figures are
 * in the table below it.
 */
export function StageChart({ times, groups, label }: { times: Times; groups: GroupTimes[]; label: string }) {
  const option = useMemo((): Option => {
    const main = times.stages.filter((s) => s.main);
    return {
      animation: false,
      grid: { left: 64, right: 24, top: 56, bottom: 48, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${Math.round(Number(v))} min` },
      legend: { top: 0 },
      xAxis: {
        type: 'category',
        data: groups.map((g) => g.label),
        axisLabel: { interval: 0, width: 120, overflow: 'truncate' },
      },
      yAxis: { type: 'value', name: 'mean minutes' },
      series: main.map((stage, i): BarSeriesOption => ({
        name: stage.label,
        type: 'bar',
        stack: 'stages',
        color: colours[i % colours.length],
        data: groups.map((g) => g.stages.find((s) => s.stage === stage.key)?.mean ?? 0),
      })),
    };
  }, [times, groups]);

  const ref = useChart(option);
  return <div ref={ref} role="img" aria-label={label} className="chart" style={{ height: 340 }} />;
}
