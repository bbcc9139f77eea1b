/**
 * Checks of date and timestamp text, character by character. A date must exist in the
 * (proleptic Gregorian) calendar, years 0001-9999; times are 00:00:00-23:59:59 with at most nine
 * fraction digits; offsets are Z or ±HH:MM up to ±15:59. Returns null when the text is not one.
 */

export interface CheckedTimestamp {
  /** YYYY-MM-DDTHH:MM:SS[.fraction] */
  value: string;
  /** 'Z', '+HH:MM', '-HH:MM', or null when absent. */
  offset: string | null;
}

function digitsAt(text: string, at: number, count: number): number | null {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 48 && c <= 57)) return null;
    n = n * 10 + (c - 48);
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** YYYY-MM-DD, exactly. */
export function checkDate(text: string): string | null {
  if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year === null || month === null || day === null) return null;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return text;
}

/**
 * RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.f](Z|±HH:MM). With `bare` (pg_tileserv's unquoted
 * literals) the seconds and the offset may be left out: YYYY-MM-DDTHH:MM.
 */
export function checkTimestamp(text: string, bare = false): CheckedTimestamp | null {
  const date = checkDate(text.slice(0, 10));
  if (date === null || (text[10] !== 'T' && text[10] !== 't')) return null;
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  if (hour === null || minute === null || text[13] !== ':' || hour > 23 || minute > 59) return null;
  let at = 16;
  let seconds = '00';
  if (text[at] === ':') {
    const second = digitsAt(text, at + 1, 2);
    if (second === null || second > 59) return null;
    seconds = text.slice(at + 1, at + 3);
    at += 3;
    if (text[at] === '.') {
      let end = at + 1;
      while (end < text.length && digitsAt(text, end, 1) !== null) end++;
      const fraction = end - at - 1;
      if (fraction < 1 || fraction > 9) return null;
      seconds += text.slice(at, end);
      at = end;
    }
  } else if (!bare) {
    return null;
  }
  const offset = checkOffset(text.slice(at));
  if (offset === undefined || (offset === null && !bare)) return null;
  return { value: `${date}T${text.slice(11, 16)}:${seconds}`, offset };
}

/** '' → null (none), 'Z' → 'Z', '+05:30' → '+05:30'; anything else → undefined. */
function checkOffset(text: string): string | null | undefined {
  if (text === '') return null;
  if (text === 'Z' || text === 'z') return 'Z';
  if (text.length !== 6 || (text[0] !== '+' && text[0] !== '-') || text[3] !== ':') return undefined;
  const hours = digitsAt(text, 1, 2);
  const minutes = digitsAt(text, 4, 2);
  if (hours === null || minutes === null || hours > 15 || minutes > 59) return undefined;
  return hours === 0 && minutes === 0 ? 'Z' : text;
}
