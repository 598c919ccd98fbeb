// Pure: a claim's due date between the API (RFC 3339, UTC) and a datetime-local input (the
// browser's local time, to the minute).

function pad(number) {
  return String(number).padStart(2, "0");
}

/** "2025-04-01T14:30" in local time for an RFC 3339 date-time; "" for none or an unreadable one. */
export function toLocalInput(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The RFC 3339 date-time (UTC) of a datetime-local value; null for "" or a value that is no date. */
export function fromLocalInput(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value || "");
  if (!match) return null;
  const [year, month, day, hours, minutes, seconds] = match.slice(1).map((part) => Number(part || 0));
  const date = new Date(year, month - 1, day, hours, minutes, seconds);
  // new Date() rolls 31 February over into March: such a value is no date.
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return null;
  return date.toISOString();
}

/** Is the due date past at `now` (a Date)? */
export function isOverdue(iso, now = new Date()) {
  if (!iso) return false;
  const date = new Date(iso);
  return !Number.isNaN(date.getTime()) && date.getTime() < now.getTime();
}
