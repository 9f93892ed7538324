// observeMessages(): times each message node added to a container, with no calls from the widget. The
// start is the MutationObserver callback (a microtask right after the script that inserted the node),
// the end the next paint, so renderTime covers style, layout and paint of the new message but not the
// widget's own work before the insert (use startRender for that).
import { shortText } from '../core/validate';
import { say } from './say';
import { recordRenderAtPaint } from './render';

export interface ObserveMessagesOptions {
  /** The message id of an added node; default: its data-message-id, else its id, else a counter. */
  messageId?: (node: Element) => string;
}

export function observeMessages(container: Node, options?: ObserveMessagesOptions): () => void {
  try {
    const idOf = options?.messageId;
    let n = 0;
    const observer = new MutationObserver((mutations) => {
      try {
        const t0 = performance.now();
        for (const m of mutations)
          for (const el of m.addedNodes as NodeListOf<HTMLElement>)
            if (el.nodeType == 1)
              recordRenderAtPaint(
                shortText(idOf ? idOf(el) : el.dataset?.messageId || el.id) || 'auto-' + ++n,
                t0,
                el.textContent!.length, // never null on an element
              );
      } catch (e) {
        say('observeMessages', e);
      }
    });
    observer.observe(container, { childList: true });
    return () => observer.disconnect();
  } catch (e) {
    say('observeMessages: off', e);
    return () => {};
  }
}
