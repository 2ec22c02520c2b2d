/** Whether the checkbox of a change event is checked. */
export const checked = (event: Event): boolean => (event.target as HTMLInputElement).checked;

/** A number field's value on change: null when it was emptied. */
export function numberOrNull(event: Event): number | null {
  const text = (event.target as HTMLInputElement).value.trim();
  return text === '' ? null : Number(text);
}
