/**
 * Some mqadmin commands end their output without a newline (`System.out.printf("success")`). Piped, we
 * write the same bytes; on a terminal we add the newline so the prompt does not land on the text.
 */
export function bareLine(text: string): string {
  return process.stdout.isTTY ? `${text}\n` : text;
}

/** Java's `%s` of a boolean-ish option value (`Boolean.parseBoolean`). */
export function javaBool(v: string | undefined): boolean {
  return v !== undefined && v.trim().toLowerCase() === 'true';
}
