// Parses an untrusted JSON body. JSON.parse has no depth limit; V8's parser copes with deep nesting, but any
// recursive walk of the result (JSON.stringify, structuredClone, a logger) overflows the stack on it, so one
// cheap pass over the text bounds nesting and value count first.
import { HttpError } from './errors';

const QUOTE = 34, BACKSLASH = 92, COMMA = 44, OPEN_OBJ = 123, OPEN_ARR = 91, CLOSE_OBJ = 125, CLOSE_ARR = 93;

export function parseJsonBody(text: string, maxDepth: number, maxValues: number): unknown {
  let depth = 0;
  let values = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Jump to the closing quote natively (most bytes are inside strings); a quote after an odd run of
      // backslashes is escaped. An unterminated string ends the scan: JSON.parse reports it.
      let j = i;
      for (;;) {
        j = text.indexOf('"', j + 1);
        if (j < 0) break;
        let k = j - 1;
        while (text.charCodeAt(k) === BACKSLASH) k--;
        if ((j - 1 - k) % 2 === 0) break;
      }
      if (j < 0) break;
      i = j;
    } else if (c === OPEN_OBJ || c === OPEN_ARR) {
      if (++depth > maxDepth) throw new HttpError(400, `JSON nested deeper than ${maxDepth}`);
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) depth--;
    else if (c === COMMA && ++values > maxValues) throw new HttpError(400, `JSON has more than ${maxValues} values`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `malformed JSON: ${(e as Error).message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'body must be a JSON object');
  return body;
}
