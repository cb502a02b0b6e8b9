// Renders each page's data from the JSON API. Values are set as text, never as HTML.
const main = document.querySelector("[data-api]");
const target = document.querySelector("[data-items]");
const status = document.querySelector("[data-status]");

function say(message) {
  if (status) status.textContent = message;
}

function title(item) {
  const text = Object.entries(item).find(([key, value]) =>
    typeof value === "string" && key !== "id" && !/Id$|At$/.test(key)
  );
  return text ? text[1] : item.id;
}

function format(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function card(item, detail) {
  const element = document.createElement("article");
  element.className = "card";
  const heading = document.createElement("h2");
  if (detail && item.id) {
    const link = document.createElement("a");
    link.href = detail.replace(/:[A-Za-z0-9_]+/g, encodeURIComponent(item.id));
    link.textContent = title(item);
    heading.append(link);
  } else heading.textContent = title(item);
  const list = document.createElement("dl");
  for (const [key, value] of Object.entries(item)) {
    if (key === "id") continue;
    const term = document.createElement("dt");
    term.textContent = key;
    const description = document.createElement("dd");
    description.textContent = format(value);
    list.append(term, description);
  }
  element.append(heading, list);
  return element;
}

async function load() {
  if (!main || !target) return;
  const api = main.dataset.api;
  const detail = main.dataset.detail;
  let url = `${api}?limit=20`;
  if (main.dataset.mode === "detail") {
    const id = location.pathname.split("/")[Number(main.dataset.idIndex)];
    url = `${api}/${encodeURIComponent(id ?? "")}`;
  }
  say("Loading…");
  try {
    const response = await fetch(url, { headers: { accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) return say(body.title ?? `Error ${response.status}`);
    const items = main.dataset.mode === "detail" ? [body] : body.items;
    target.replaceChildren(...items.map((item) => card(item, detail)));
    say(items.length === 0 ? "Nothing here yet: create one through the API." : "");
  } catch {
    say("Could not reach the API.");
  }
}

load();
