// Time-series charts with uPlot: one line per series, x in seconds as uPlot wants it.
import uPlot from 'uplot';

const COLORS = ['#2463eb', '#e8590c', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#c2255c', '#5c7cfa'];

export interface Series {
  name: string;
  points: Array<[number, number]>;
}

export class TimeChart {
  private plot?: uPlot;
  private names: string[] = [];

  constructor(
    private readonly el: HTMLElement,
    private readonly title: string,
    private readonly height = 220,
  ) {}

  /** Replaces the data; re-creates the plot when the set of series changed. */
  update(series: Series[]): void {
    const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
    const index = new Map(xs.map((x, i) => [x, i]));
    const data: (number | null)[][] = [xs.map((x) => x / 1000)];
    for (const s of series) {
      const ys: (number | null)[] = new Array(xs.length).fill(null);
      for (const [x, y] of s.points) ys[index.get(x)!] = y;
      data.push(ys);
    }
    const names = series.map((s) => s.name);
    const width = Math.max(300, this.el.clientWidth || 600);
    if (!this.plot || names.join('\n') !== this.names.join('\n')) {
      this.plot?.destroy();
      this.names = names;
      this.plot = new uPlot(
        {
          title: this.title,
          width,
          height: this.height,
          series: [
            {},
            ...names.map((n, i) => ({
              label: n,
              stroke: COLORS[i % COLORS.length],
              width: 1.5,
              spanGaps: true,
            })),
          ],
          axes: [{}, { size: 60 }],
        },
        data as uPlot.AlignedData,
        this.el,
      );
    } else {
      this.plot.setData(data as uPlot.AlignedData);
    }
  }

  destroy(): void {
    this.plot?.destroy();
  }
}
