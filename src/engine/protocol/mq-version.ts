/**
 * `MQVersion.getVersionDesc`: clients send the ordinal of Java's Version enum (409 = V4_9_8). The enum
 * is regular after its first 16 entries, so the names are generated rather than listed.
 */
const NAMES: string[] = (() => {
  const out = [
    'V3_0_0_SNAPSHOT',
    'V3_0_0_ALPHA1',
    ...['1', '2', '3', '4', '5'].map((n) => `V3_0_0_BETA${n}`),
  ];
  for (const n of ['6', '7', '8', '9']) out.push(`V3_0_0_BETA${n}_SNAPSHOT`, `V3_0_0_BETA${n}`);
  out.push('V3_0_0_FINAL');
  const series: Array<[major: number, minor: number, first: number, last: number]> = [[3, 0, 1, 15]];
  series.push([3, 1, 0, 9], [3, 2, 0, 9]);
  for (let minor = 3; minor <= 9; minor++) series.push([3, minor, 1, 9]);
  for (let major = 4; major <= 9; major++) {
    for (let minor = 0; minor <= 9; minor++) series.push([major, minor, 0, 9]);
  }
  for (const [major, minor, first, last] of series) {
    for (let p = first; p <= last; p++)
      out.push(`V${major}_${minor}_${p}_SNAPSHOT`, `V${major}_${minor}_${p}`);
  }
  out.push('HIGHER_VERSION');
  return out;
})();

export function versionDesc(version: number): string {
  if (!Number.isInteger(version) || version < 0) return String(version);
  return NAMES[Math.min(version, NAMES.length - 1)]!;
}
