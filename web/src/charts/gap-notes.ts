/**
 * Missing values that say why they are missing: a month without service (不适用), a figure
 * the server withheld to protect a small group ("<10人"). The data item carries the note
 * (GAP_NOTE, read by the chart's data table) and the series' tooltip shows it instead of
 * "—"; nothing is drawn for it (never a zero).
 */
import { GAP_NOTE } from './chart-table.ts';
import { plotText, type ValueKind } from './value-kind.ts';

type Plotted = number | null;
export type NotedItem = Plotted | { value: Plotted; [GAP_NOTE]: string };

/** The plotted values with each noted missing one as `{ value: null, gapNote }`. */
export function notedData(
  plotted: readonly Plotted[],
  notes: readonly (string | null)[] | undefined,
): NotedItem[] {
  return plotted.map((value, i) => {
    const note = notes?.[i];
    return value === null && note ? { value: null, [GAP_NOTE]: note } : value;
  });
}

/** A series tooltip's value text: the note of a noted missing value, else the figure. */
export function notedFormatter(kind: ValueKind, notes: readonly (string | null)[]) {
  return (value: unknown, dataIndex: number): string => {
    const note = notes[dataIndex];
    if ((value === null || value === undefined || value === '-') && note) return note;
    return plotText(kind, value as number | null);
  };
}
