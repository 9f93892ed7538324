// One name per storage failure, whatever the browser calls it, so the dashboard can count them.

/**
 * The error class name of a Web Storage failure. Every quota variant becomes 'QuotaExceededError':
 * code 22 (DOMException QUOTA_EXCEEDED_ERR), code 1014 with name NS_ERROR_DOM_QUOTA_REACHED (old
 * Firefox), and the QuotaExceededError name itself (newer browsers throw a subclass of that name).
 * Access denied (blocked third-party storage, sandboxed iframes) is 'SecurityError' (code 18).
 */
export function storageErrorName(e: unknown): string {
  const { name, code } = Object(e) as { name?: unknown; code?: unknown };
  const n = (typeof name == 'string' && name) || 'Error';
  return code == 22 || code == 1014 || /quota/i.test(n) ? 'QuotaExceededError' : code == 18 || n == 'SecurityError' ? 'SecurityError' : n.slice(0, 64);
}
