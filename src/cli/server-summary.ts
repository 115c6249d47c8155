/** What a server prints under its boot line: where it logs, its ports, store, role and advertised address. */
export interface ServerSummary {
  role: string;
  /** The address clients are given (a broker's brokerIP1:listenPort; a name server's listening address). */
  address: string;
  ports: string;
  store: string;
  logs: string;
}

/** The summary as a few indented `label  value` lines. */
export function summaryLines(s: ServerSummary): string[] {
  return [
    `  role     ${s.role}`,
    `  address  ${s.address}`,
    `  ports    ${s.ports}`,
    `  store    ${s.store}`,
    `  logs     ${s.logs}`,
  ];
}
