/** Keyboard focus stays inside an open modal panel (drawers, dialogs): Tab wraps around. */
const FOCUSABLE = 'a[href], button:not([disabled]), input, select, textarea, [tabindex="0"]';

/** The panel's `@keydown.tab` handler. */
export function trapTab(event: KeyboardEvent): void {
  if (event.key !== 'Tab') return;
  const panel = event.currentTarget as HTMLElement;
  const items = [...panel.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = items[0];
  const last = items.at(-1);
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
