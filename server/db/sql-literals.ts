/** SQL literals for statements built from our own values (paths, names), never from files. */

export function lit(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
