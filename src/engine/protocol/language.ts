/** `LanguageCode` enum of 4.9.x: the name travels in JSON headers, the ordinal byte in ROCKETMQ headers. */
export const LANGUAGE_NAMES = [
  'JAVA',
  'CPP',
  'DOTNET',
  'PYTHON',
  'DELPHI',
  'ERLANG',
  'RUBY',
  'OTHER',
  'HTTP',
  'GO',
  'PHP',
  'OMS',
  'RUST',
] as const;

export type LanguageName = (typeof LANGUAGE_NAMES)[number];

const byteByName = new Map<string, number>(LANGUAGE_NAMES.map((n, i) => [n, i]));

/** Byte code of a language name; unknown names map to OTHER (7) so a binary header stays decodable. */
export function languageToByte(name: string): number {
  return byteByName.get(name) ?? 7;
}

/** Name for a byte code / ordinal; unknown values become "OTHER" rather than failing the frame. */
export function languageFromByte(code: number): string {
  return LANGUAGE_NAMES[code] ?? 'OTHER';
}
