// A few DOM helpers instead of a framework: pages build elements with h() and re-render their parts.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | ((e: Event) => void) | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children)
    if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

export function clear(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  for (const c of children)
    if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
}

export interface Column<T> {
  title: string;
  cell: (row: T) => Child;
  num?: boolean;
  /** Sort key: the column header becomes clickable. */
  sort?: (row: T) => string | number;
  cls?: string;
}

/** A table; with sortable columns the header click re-sorts (and again reverses). */
export function table<T>(rows: T[], cols: Column<T>[], attrs: Attrs = {}): HTMLTableElement {
  const t = h('table', attrs);
  let sortCol = -1;
  let asc = true;
  const body = h('tbody');
  const fill = () => {
    const sorted = [...rows];
    const c = cols[sortCol];
    if (c?.sort) {
      const key = c.sort;
      sorted.sort((a, b) => {
        const x = key(a);
        const y = key(b);
        return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
      });
    }
    clear(
      body,
      ...sorted.map((r) =>
        h(
          'tr',
          {},
          ...cols.map((col) =>
            h(
              'td',
              { class: [col.num ? 'num' : '', col.cls ?? ''].join(' ').trim() || undefined },
              col.cell(r),
            ),
          ),
        ),
      ),
    );
    if (!rows.length) body.append(h('tr', {}, h('td', { colspan: cols.length, class: 'muted' }, 'none')));
  };
  const head = h(
    'tr',
    {},
    ...cols.map((c, i) =>
      h(
        'th',
        {
          class: [c.num ? 'num' : '', c.sort ? 'sortable' : ''].join(' ').trim() || undefined,
          onclick: c.sort
            ? () => {
                asc = sortCol === i ? !asc : true;
                sortCol = i;
                fill();
              }
            : undefined,
        },
        c.title,
      ),
    ),
  );
  t.append(h('thead', {}, head), body);
  fill();
  return t;
}

/** Properties as a two-column table, keys sorted. */
export function kvTable(kv: Record<string, unknown>, attrs: Attrs = {}): HTMLTableElement {
  const rows = Object.keys(kv)
    .sort()
    .map((k) => [k, kv[k]] as const);
  return table(
    rows,
    [
      { title: 'key', cell: (r) => r[0] },
      { title: 'value', cell: (r) => String(r[1]) },
    ],
    {
      class: 'kv',
      ...attrs,
    },
  );
}

export function fmt(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '';
}

export function time(ms: number): string {
  return ms > 0 ? new Date(ms).toLocaleString() : '';
}
