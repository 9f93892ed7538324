// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { observeMessages } from '../../src/collectors/messages';
import { startRender } from '../../src/collectors/render';
import type { RenderEvent } from '../../src/types';
import { captureEvents } from './capture';
import { frameDriver } from './frame-driver';

const cap = captureEvents();
const renders = () => cap.events.filter((e): e is RenderEvent => e.type === 'render');
/** The task posted after the frame. */
const afterFrameTask = () => new Promise((r) => setTimeout(r, 10));
afterEach(() => vi.unstubAllGlobals());

describe('startRender', () => {
  it('renderTime runs from the start to the paint after end(): the widget\'s work and the frame\'s, not the wait for the frame', async () => {
    const d = frameDriver();
    const end = startRender('m1', 42);
    d.advance(30); // the widget's DOM work
    end();
    expect(renders()).toHaveLength(0); // nothing before the frame
    d.frame(9, 5); // 9 ms waiting for vsync, then the frame: style, layout, paint (5 ms)
    await afterFrameTask();
    expect(renders()).toEqual([expect.objectContaining({ type: 'render', messageId: 'm1', contentLength: 42, renderTime: 35 })]);
  });

  it('end() counts once; a numeric id becomes a string; a bad contentLength is left out', async () => {
    const d = frameDriver();
    const end = startRender(7, -1);
    end();
    end();
    d.frame(16);
    await afterFrameTask();
    expect(renders()).toHaveLength(1);
    expect(renders()[0].messageId).toBe('7');
    expect(JSON.stringify(renders()[0])).not.toContain('contentLength'); // absent on the wire
  });

  it('a bad messageId warns and records nothing, never throws', async () => {
    const d = frameDriver();
    const end = startRender({} as never);
    expect(() => end()).not.toThrow();
    d.frame(16);
    await afterFrameTask();
    expect(renders()).toHaveLength(0);
    expect(cap.warnings.some((w) => w.includes('startRender'))).toBe(true);
  });

  it('a render during which the page was hidden is not measured', async () => {
    const d = frameDriver();
    const end = startRender('m2');
    end();
    document.dispatchEvent(new Event('visibilitychange'));
    d.frame(60_000);
    await afterFrameTask();
    expect(renders()).toHaveLength(0);
  });

  it('a render whose start and end() straddle a hide/show is not measured (the absence is not render time)', async () => {
    const d = frameDriver();
    const end = startRender('m-hidden');
    document.dispatchEvent(new Event('visibilitychange')); // hidden
    d.advance(60_000); // the user is away
    document.dispatchEvent(new Event('visibilitychange')); // shown again
    end();
    d.frame(5);
    await afterFrameTask();
    expect(renders()).toHaveLength(0);
  });
});

describe('observeMessages', () => {
  it('times each added element to the next paint, with its id and text length; text nodes are ignored', async () => {
    const d = frameDriver();
    const list = document.createElement('ul');
    document.body.append(list);
    const stop = observeMessages(list);
    const a = document.createElement('li');
    a.dataset.messageId = 'a1';
    a.textContent = 'hello';
    const b = document.createElement('li');
    b.id = 'b2';
    list.append(a, b, document.createTextNode('x'), document.createElement('li'));
    await Promise.resolve(); // the mutation records
    d.frame(8, 3); // 8 ms waiting for the frame (left out), 3 ms of style, layout and paint
    await afterFrameTask();
    expect(renders().map((r) => [r.messageId, r.contentLength, r.renderTime])).toEqual([
      ['a1', 5, 3],
      ['b2', 0, 3],
      ['auto-1', 0, 3],
    ]);
    stop();
    list.append(document.createElement('li'));
    await Promise.resolve();
    d.frame(8);
    await afterFrameTask();
    expect(renders()).toHaveLength(3);
  });

  it('a custom messageId function; a container that is not a node warns and returns a no-op', async () => {
    const d = frameDriver();
    const list = document.createElement('div');
    const stop = observeMessages(list, { messageId: (n) => 'custom-' + n.tagName });
    list.append(document.createElement('p'));
    await Promise.resolve();
    d.frame(8);
    await afterFrameTask();
    expect(renders()[0].messageId).toBe('custom-P');
    stop();
    expect(() => observeMessages(null as never)()).not.toThrow();
    expect(cap.warnings.some((w) => w.includes('observeMessages'))).toBe(true);
  });
});
