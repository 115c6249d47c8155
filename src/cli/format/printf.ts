/**
 * Java's String.format for the conversions mqadmin uses (%s %d %f %n %%, flags `-` and `0`, width,
 * precision), so piped output lines up exactly as mqadmin's printf columns do.
 */
const SPEC = /%(-)?(0)?(\d+)?(?:\.(\d+))?([sdfn%])/g;

export function jformat(fmt: string, ...args: unknown[]): string {
  let i = 0;
  return fmt.replace(
    SPEC,
    (
      _m,
      left: string | undefined,
      zero: string | undefined,
      width: string | undefined,
      prec: string | undefined,
      conv: string,
    ) => {
      if (conv === 'n') return '\n';
      if (conv === '%') return '%';
      const arg = args[i++];
      let s: string;
      if (conv === 'd')
        s =
          arg === null || arg === undefined
            ? 'null'
            : String(typeof arg === 'number' ? Math.trunc(arg) : arg);
      else if (conv === 'f') s = Number(arg ?? 0).toFixed(prec === undefined ? 6 : Number(prec));
      else {
        s = arg === null || arg === undefined ? 'null' : String(arg);
        if (prec !== undefined) s = s.slice(0, Number(prec));
      }
      const w = width ? Number(width) : 0;
      if (s.length >= w) return s;
      if (left) return s.padEnd(w);
      if (zero && conv !== 's') {
        const neg = s.startsWith('-');
        return (neg ? '-' : '') + (neg ? s.slice(1) : s).padStart(w - (neg ? 1 : 0), '0');
      }
      return s.padStart(w);
    },
  );
}

/** UtilAll.frontStringAtLeast: at most `size` leading characters. */
export function front(s: string | null | undefined, size: number): string {
  if (s === null || s === undefined) return 'null';
  return s.length > size ? s.slice(0, size) : s;
}
