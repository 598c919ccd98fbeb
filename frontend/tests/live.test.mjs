import assert from "node:assert/strict";
import { test } from "node:test";

import { LiveSocket, parseHint, reconnectDelay, socketUrl } from "../js/live-socket.js";

class FakeSocket {
  static made = [];
  constructor(url) {
    this.url = url;
    this.closed = false;
    FakeSocket.made.push(this);
  }
  close() {
    this.closed = true;
    if (this.onclose) this.onclose({});
  }
}

function fakeTimers() {
  const pending = new Map();
  let next = 1;
  return {
    pending,
    setTimer: (fn, ms) => {
      pending.set(next, { fn, ms });
      return next++;
    },
    clearTimer: (id) => pending.delete(id),
    fire() {
      const [[id, { fn }]] = pending;
      pending.delete(id);
      fn();
    },
  };
}

test("reconnecting waits longer after each failure, jittered, up to a cap", () => {
  assert.equal(reconnectDelay(0, { random: () => 1 }), 500);
  assert.equal(reconnectDelay(0, { random: () => 0 }), 250);
  assert.equal(reconnectDelay(3, { random: () => 1 }), 4000);
  assert.equal(reconnectDelay(20, { random: () => 1 }), 30000);
  assert.equal(reconnectDelay(20, { random: () => 0 }), 15000);
});

test("the socket is on the page's host, wss under https", () => {
  assert.equal(socketUrl(7, { protocol: "http:", host: "127.0.0.1:8000" }), "ws://127.0.0.1:8000/ws/articles/7/");
  assert.equal(socketUrl(7, { protocol: "https:", host: "desk.example.org" }), "wss://desk.example.org/ws/articles/7/");
});

test("only well-formed hints are taken, with nothing but their known keys", () => {
  assert.deepEqual(parseHint('{"article": 4, "action": "claim.delete", "claim": 12, "revision": null, "extra": 1}'), {
    article: 4,
    action: "claim.delete",
    claim: 12,
    revision: null,
  });
  assert.equal(parseHint("not json"), null);
  assert.equal(parseHint('{"action": "claim.create"}'), null);
  assert.equal(parseHint('"text"'), null);
});

test("a dropped socket reports it, reconnects with backoff, and resets the backoff once open", () => {
  FakeSocket.made = [];
  const timers = fakeTimers();
  const states = [];
  const hints = [];
  const live = new LiveSocket({
    url: "ws://h/ws/articles/1/",
    onHint: (hint) => hints.push(hint),
    onState: (open) => states.push(open),
    WebSocketImpl: FakeSocket,
    setTimer: timers.setTimer,
    clearTimer: timers.clearTimer,
    random: () => 1,
  });
  live.start();
  const first = FakeSocket.made[0];
  first.onopen();
  first.onmessage({ data: '{"article": 1, "action": "comment.add", "claim": 3, "revision": null}' });
  assert.deepEqual(hints, [{ article: 1, action: "comment.add", claim: 3, revision: null }]);

  first.onclose({});
  assert.deepEqual(states, [true, false]);
  assert.equal([...timers.pending.values()][0].ms, 500);
  timers.fire();
  FakeSocket.made[1].onclose({});
  assert.equal([...timers.pending.values()][0].ms, 1000);
  timers.fire();
  FakeSocket.made[2].onopen();
  assert.deepEqual(states, [true, false, true]);
  assert.equal(live.attempts, 0);

  live.stop();
  assert.equal(FakeSocket.made[2].closed, true);
  assert.equal(timers.pending.size, 0, "a stopped socket is not opened again");
});

test("a socket the browser refuses to make is retried like a dropped one; retryNow skips the wait", () => {
  const timers = fakeTimers();
  let refuse = true;
  let made = 0;
  class Refusing extends FakeSocket {
    constructor(url) {
      if (refuse) throw new Error("refused");
      super(url);
      made += 1;
    }
  }
  const live = new LiveSocket({ url: "ws://h/", onHint() {}, WebSocketImpl: Refusing, ...timers, random: () => 1 });
  live.start();
  assert.equal(timers.pending.size, 1);
  refuse = false;
  live.retryNow();
  assert.equal(made, 1);
  assert.equal(timers.pending.size, 0);
});

test("the poller asks at once on a hint, polls slowly while pushed and quickly while not", async () => {
  globalThis.document = {
    visibilityState: "visible",
    body: { dataset: {} },
    addEventListener() {},
    removeEventListener() {},
  };
  const requests = [];
  globalThis.fetch = async (url) => {
    requests.push(url);
    return { status: 304, ok: false, headers: { get: () => null }, json: async () => null };
  };
  const { LivePoller } = await import("../js/live.js");
  let socket = null;
  const poller = new LivePoller({
    articleId: 5,
    revision: 1,
    onHighlights: async () => true,
    onRevision: async () => {},
    socket: (callbacks) => {
      socket = { ...callbacks, started: false, start() { this.started = true; }, stop() { this.started = false; } };
      return socket;
    },
  });
  poller.start();
  assert.equal(socket.started, true);
  assert.equal(document.body.dataset.liveMode, "polling");
  assert.equal(poller.period, 3000);

  socket.onState(true);
  assert.equal(document.body.dataset.liveMode, "socket");
  assert.equal(poller.period, 30000);
  await new Promise((resolve) => setImmediate(resolve));
  const before = requests.length;
  socket.onHint({ article: 5, action: "claim.delete", claim: 2, revision: null });
  socket.onHint({ article: 6, action: "claim.delete", claim: 9, revision: null });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(requests.length, before + 1, "one GET for this article's hint, none for another article's");
  assert.match(requests.at(-1), /articles\/5\/highlights\/$/);

  socket.onState(false);
  assert.equal(document.body.dataset.liveMode, "polling");
  assert.equal(poller.period, 3000);
  poller.stop();
  assert.equal(socket.started, false);
});
