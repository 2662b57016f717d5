import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

/**
 * The model's largest factors as horizontal bars, by their readable names: right raises the risk,
 * left lowers it.
 */
export function FactorsChart({ factors }: { factors: { name: string; contribution: number }[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    const rows = [...factors].reverse();
    // the names are sentences: room for the longest, wrapped at about 36 characters
    const width = Math.min(260, 8 + 6.5 * Math.max(...factors.map((f) => Math.min(f.name.length, 36))));
    chart.setOption({
      animation: false,
      grid: { left: width + 12, right: 24, top: 8, bottom: 32 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', name: 'log-odds', nameLocation: 'middle', nameGap: 22 },
      yAxis: {
        type: 'category',
        data: rows.map((f) => f.name),
        axisLabel: { width, overflow: 'break', color: '#1f2328', fontSize: 12 },
      },
      series: [
        {
          type: 'bar',
          data: rows.map((f) => ({
            value: Number(f.contribution.toFixed(3)),
            itemStyle: { color: f.contribution > 0 ? '#b42318' : '#166534' },
          })),
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
  }, [factors]);
  return (
    <div
      ref={ref}
      role="img"
      aria-label={`Model factors: ${factors.map((f) => `${f.name} ${f.contribution > 0 ? 'raises' : 'lowers'} the risk by ${Math.abs(f.contribution).toFixed(2)}`).join('; ')}`}
      style={{ width: '100%', height: 48 + factors.length * 36 }}
    />
  );
}
