// The settings page: the workbench's address, a personal API token and the team, kept in the
// extension's local storage. Saving asks for access to the workbench's address when the build
// did not already grant it (the extension downloaded from a workbench has its own address).
const api = globalThis.browser && globalThis.browser.runtime ? globalThis.browser : chrome;
const form = document.getElementById("options");
const status = document.getElementById("status");

async function load() {
  let defaults = {};
  try {
    defaults = await (await fetch(api.runtime.getURL("config.json"))).json();
  } catch (_error) {
    defaults = {};
  }
  const stored = await api.storage.local.get(["workbench", "token", "team"]);
  form.workbench.value = stored.workbench || defaults.workbench || "";
  form.token.value = stored.token || "";
  form.team.value = stored.team || defaults.team || "";
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  let origin;
  try {
    origin = new URL(form.workbench.value).origin;
  } catch (_error) {
    status.textContent = "The workbench address is not a web address.";
    return;
  }
  const granted = await api.permissions.request({ origins: [`${origin}/*`] });
  if (!granted) {
    status.textContent = "Without access to the workbench's address the extension cannot send pages to it.";
    return;
  }
  await api.storage.local.set({ workbench: origin, token: form.token.value.trim(), team: Number(form.team.value) });
  status.textContent = "Saved. Click the toolbar button on a page to send it to the workbench.";
});

load();
