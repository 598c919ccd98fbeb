// One click on the toolbar button captures the active tab (activeTab: only that tab, only then)
// and posts it to the workbench with the personal API token saved in the options page.
/* global captureDocument */
if (typeof captureDocument === "undefined" && typeof importScripts === "function") {
  importScripts("capture-page.js");
}

const api = globalThis.browser && globalThis.browser.runtime ? globalThis.browser : chrome;

async function settings() {
  const stored = await api.storage.local.get(["workbench", "token", "team"]);
  let defaults = {};
  try {
    defaults = await (await fetch(api.runtime.getURL("config.json"))).json();
  } catch (_error) {
    defaults = {};
  }
  return {
    workbench: (stored.workbench || defaults.workbench || "").replace(/\/+$/, ""),
    token: stored.token || "",
    team: Number(stored.team || defaults.team || 0),
  };
}

async function notify(tabId, message) {
  try {
    await api.scripting.executeScript({ target: { tabId }, func: (text) => window.alert(text), args: [message] });
  } catch (_error) {
    // A page the extension may not script (the browser's own pages): the message is lost.
  }
}

// Capture the tab and send it; resolves to the workbench's answer (or an error), and opens the
// article in a new tab when it was saved.
async function captureTab(tabId) {
  const config = await settings();
  if (!config.workbench || !config.token || !config.team) {
    await api.runtime.openOptionsPage();
    return { ok: false, message: "Set the workbench address, your API token and the team first." };
  }
  let capture;
  try {
    const [injection] = await api.scripting.executeScript({ target: { tabId }, func: captureDocument });
    capture = injection.result;
  } catch (error) {
    const message = `This page cannot be captured: ${error.message || error}`;
    await notify(tabId, message);
    return { ok: false, message };
  }
  let response;
  try {
    response = await fetch(`${config.workbench}/api/v1/captures/`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${config.token}`,
        "Content-Type": "application/json",
        Accept: "application/json",
      },
      body: JSON.stringify({ team: config.team, ...capture }),
    });
  } catch (error) {
    const message = `The workbench at ${config.workbench} could not be reached.`;
    await notify(tabId, message);
    return { ok: false, message };
  }
  let body = null;
  try {
    body = await response.json();
  } catch (_error) {
    body = null;
  }
  if (!response.ok) {
    const error = (body && body.error) || {};
    const message = error.message || `The workbench refused the capture (HTTP ${response.status}).`;
    await notify(tabId, message);
    return { ok: false, status: response.status, message, body };
  }
  await api.tabs.create({ url: `${config.workbench}${body.open_url}` });
  if (body.message) await notify(tabId, body.message);
  return { ok: true, body };
}

globalThis.captureTab = captureTab;
api.action.onClicked.addListener((tab) => {
  if (tab.id !== undefined) captureTab(tab.id);
});
