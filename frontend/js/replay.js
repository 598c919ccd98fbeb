// The replay page (annotations/views/replay.py): ReplayWeb.page (static/replay/ui.js, loaded by the
// page) shows the preserved page from its archive. Its service worker is registered here first, and
// the <replay-web-page> element is put in place only once that worker is active, so the replay
// frame's first load is answered by the worker and never by the server.

const holder = document.getElementById("replay");
const status = document.getElementById("replay-status");
const SERVICE_WORKER = "sw.js?serveIndex=1"; // the name ui.js registers, so both registrations are one

async function activeWorker(base) {
  const registration = await navigator.serviceWorker.register(base + SERVICE_WORKER, { scope: base });
  const worker = registration.installing || registration.waiting || registration.active;
  if (worker.state === "activated") return;
  await new Promise((resolve, reject) => {
    worker.addEventListener("statechange", () => {
      if (worker.state === "activated") resolve();
      else if (worker.state === "redundant") reject(new Error("the replay service worker was replaced"));
    });
  });
}

function replayElement(data) {
  const embed = document.createElement("replay-web-page");
  const attributes = {
    source: data.source,
    url: data.url,
    ts: data.ts,
    replaybase: data.base,
    config: data.config,
    title: data.title,
    newwindowbase: data.newWindowBase,
    embed: "replayonly",
  };
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) embed.setAttribute(name, value);
  embed.className = "replay-frame";
  return embed;
}

async function start() {
  if (!("serviceWorker" in navigator)) {
    status.textContent = "Replay needs a browser with service workers, on https or on this machine.";
    return;
  }
  try {
    await activeWorker(holder.dataset.base);
  } catch (error) {
    status.textContent = `The replay could not start: ${error.message}`;
    return;
  }
  holder.replaceChildren(replayElement(holder.dataset));
  status.textContent = "The preserved page is shown below, replayed from the archive.";
}

start();
