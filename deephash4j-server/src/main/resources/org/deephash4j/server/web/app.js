// The search page: search by image, by a result, near-duplicates by radius, adding images, index stats.
// Plain DOM; text from the service is always set as text, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
let currentIndex = null;
let lastQuery = null;

async function api(path, options = {}) {
  const response = await fetch(path, options);
  const type = response.headers.get("Content-Type") || "";
  const body = type.includes("json") ? await response.json() : null;
  if (!response.ok) {
    throw new Error(body && body.detail ? body.detail : response.status + " " + response.statusText);
  }
  return body;
}

function setStatus(text) {
  $("status").textContent = text;
}

async function loadIndexes() {
  const { indexes } = await api("/v1/indexes");
  const select = $("index");
  select.replaceChildren();
  for (const index of indexes) {
    const option = document.createElement("option");
    option.value = index.name;
    option.textContent = index.name + (index.model ? "" : " (codes only)");
    select.append(option);
  }
  if (indexes.length === 0) {
    setStatus("No index yet: start the service with --images DIR, or create one through the API.");
    return;
  }
  currentIndex = indexes[0].name;
  showStats();
}

async function showStats() {
  if (!currentIndex) return;
  const s = await api("/v1/indexes/" + encodeURIComponent(currentIndex));
  $("stats").textContent = s.items + " items · " + s.bits + " bits · " + s.type + (s.model ? " · model " + s.model : "");
  $("radius").max = s.bits;
}

function searchOptions(form) {
  if ($("use-radius").checked) {
    form.radius = $("radius").value;
  } else {
    form.k = $("k").value;
  }
  const labels = $("labels").value.trim();
  if (labels) form.labels = labels;
  return form;
}

async function searchByImage(file) {
  lastQuery = { file };
  const preview = $("preview");
  preview.src = URL.createObjectURL(file);
  preview.hidden = false;
  const data = new FormData();
  data.append("image", file);
  for (const [name, value] of Object.entries(searchOptions({}))) data.append(name, value);
  await runSearch({ method: "POST", body: data });
}

async function searchById(id) {
  lastQuery = { id };
  const body = searchOptions({ id });
  if (body.labels) body.labels = body.labels.split(",").map(Number);
  for (const key of ["k", "radius"]) if (key in body) body[key] = Number(body[key]);
  await runSearch({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

async function runSearch(request) {
  if (!currentIndex) return;
  setStatus("Searching…");
  try {
    const result = await api("/v1/indexes/" + encodeURIComponent(currentIndex) + "/search", request);
    showResults(result);
    setStatus(result.results.length + " results in " + result.took_ms + " ms (query code " + result.query + ")");
  } catch (e) {
    setStatus("Error: " + e.message);
  }
}

function showResults(result) {
  const grid = $("results");
  grid.replaceChildren();
  for (const hit of result.results) {
    const card = document.createElement("figure");
    card.className = "hit";
    card.dataset.id = hit.id;
    card.title = "Search from item " + hit.id;
    if (hit.thumbnail) {
      const img = document.createElement("img");
      img.src = hit.thumbnail;
      img.alt = "item " + hit.id;
      card.append(img);
    }
    const caption = document.createElement("figcaption");
    const distance = document.createElement("div");
    distance.className = "distance";
    distance.textContent = "distance " + hit.distance;
    const meta = document.createElement("div");
    meta.className = "meta";
    const parts = ["id " + hit.id];
    if (hit.labels.length) parts.push("labels " + hit.labels.join(","));
    for (const [key, value] of Object.entries(hit.metadata)) parts.push(key + ": " + value);
    meta.textContent = parts.join(" · ");
    caption.append(distance, meta);
    card.append(caption);
    card.addEventListener("click", () => searchById(hit.id));
    grid.append(card);
  }
}

async function addImages(event) {
  event.preventDefault();
  const files = $("add-files").files;
  if (!files.length || !currentIndex) return;
  const data = new FormData();
  let id = Number($("add-id").value);
  for (const file of files) {
    data.append("image", file);
    data.append("id", String(id++));
    if ($("add-labels").value.trim()) data.append("labels", $("add-labels").value.trim());
  }
  const headers = {};
  if ($("key").value) headers["X-API-Key"] = $("key").value;
  try {
    const r = await api("/v1/indexes/" + encodeURIComponent(currentIndex) + "/items?upsert=true", { method: "POST", body: data, headers });
    $("add-status").textContent = "Added " + r.count + " images.";
    $("add-id").value = id;
    showStats();
  } catch (e) {
    $("add-status").textContent = "Error: " + e.message;
  }
}

function wire() {
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files.length) searchByImage(e.dataTransfer.files[0]);
  });
  $("file").addEventListener("change", () => { if ($("file").files.length) searchByImage($("file").files[0]); });
  $("index").addEventListener("change", () => { currentIndex = $("index").value; showStats(); });
  $("radius").addEventListener("input", () => { $("radius-value").textContent = $("radius").value; });
  const again = () => { if (lastQuery && lastQuery.file) searchByImage(lastQuery.file); else if (lastQuery) searchById(lastQuery.id); };
  $("radius").addEventListener("change", again);
  $("use-radius").addEventListener("change", again);
  $("add-form").addEventListener("submit", addImages);
  loadIndexes().catch((e) => setStatus("Error: " + e.message));
}

document.addEventListener("DOMContentLoaded", wire);
