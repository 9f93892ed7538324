// Label values come from the open internet: cap their length, strip control characters, and keep URLs
// low-cardinality (no query string, ids in paths replaced) so Prometheus and bucket keys stay bounded.

const CONTROL = /[\u0000-\u001f\u007f]/g;
// A lone surrogate (valid as a JSON escape, "\ud800") is not text: SQLite stores it as U+FFFD while the
// process keeps the original, so labels and bucket keys would disagree after a restart. Replace it up front.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function cleanLabel(value: unknown, max: number, fallback: string): string {
  if (typeof value !== 'string') return fallback;
  // Cut first, then repair: the cut may split a surrogate pair.
  const s = value.replace(CONTROL, '').trim().slice(0, max).replace(LONE_SURROGATE, '\ufffd');
  return s || fallback;
}

const ID_SEGMENT = /^(?:\d+|[0-9a-f]{8}-[0-9a-f-]{27,}|[0-9a-f]{16,}|[^/]{41,})$/i;

/** `/api/chat/123/messages?x=1` → `/api/chat/:id/messages`. */
export function normalizeUrl(value: string, max = 256): string {
  const cut = value.search(/[?#]/);
  const noQuery = cut < 0 ? value : value.slice(0, cut);
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(noQuery)?.[0] ?? '';
  const path = noQuery
    .slice(origin.length)
    .split('/')
    .map((seg) => (ID_SEGMENT.test(seg) ? ':id' : seg))
    .join('/');
  return cleanLabel(origin + path, max, '');
}
