import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

/** The model's largest factors as horizontal bars: right raises the risk, left lowers it. */
export function FactorsChart({ factors }: { factors: { feature: string; contribution: number }[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    const rows = [...factors].reverse();
    chart.setOption({
      animation: false,
      grid: { left: 160, right: 24, top: 8, bottom: 24 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', name: 'log-odds' },
      yAxis: { type: 'category', data: rows.map((f) => f.feature) },
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
    return () => chart.dispose();
  }, [factors]);
  return (
    <div
      ref={ref}
      role="img"
      aria-label={`Model factors: ${factors.map((f) => `${f.feature} ${f.contribution > 0 ? 'raises' : 'lowers'} the risk by ${Math.abs(f.contribution).toFixed(2)}`).join('; ')}`}
      style={{ width: '100%', height: 40 + factors.length * 28 }}
    />
  );
}
