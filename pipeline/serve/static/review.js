// The review page: the page image (or text) with the current field's evidence highlighted, the
// fields beside it, keyboard navigation, accept / correct / note. No framework, no build step.
"use strict";
(function () {
  const sha = document.body.dataset.sha256;
  const api = "/v1/documents/" + sha;
  const list = document.getElementById("field-list");
  const image = document.getElementById("page-image");
  const pageText = document.getElementById("page-text");
  const holder = document.getElementById("page");
  let data = null;
  let current = 0;
  let shownPage = 1;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined && text !== null) node.textContent = text;  // never HTML
    return node;
  }

  function show(kind, value) {
    if (value === null || value === undefined) return "—";
    if (kind === "list") return value.length ? value.join("\n") : "—";
    if (kind === "json") return value.length ? value.map(function (b) {
      return [b.doc_type, b.number_symbol, b.date, b.issuer].filter(Boolean).join(" · ");
    }).join("\n") : "—";
    return String(value);
  }

  function editable(kind, value) {
    if (kind === "list") return (value || []).join("\n");
    if (kind === "json") return JSON.stringify(value || [], null, 1);
    return value === null || value === undefined ? "" : String(value);
  }

  function parse(kind, text) {
    if (kind === "list") return text.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
    if (kind === "json") return JSON.parse(text);
    return text.trim() === "" ? null : text.trim();
  }

  function lastVerdict(name) {
    let last = null;
    for (const row of data.corrections) if (row.field === name) last = row;
    return last;
  }

  function renderVerdict(item, field) {
    const verdict = lastVerdict(field.name);
    const line = item.querySelector(".verdict");
    item.classList.remove("accepted", "corrected");
    if (!verdict) { line.textContent = ""; return; }
    item.classList.add(verdict.action === "correct" ? "corrected" : "accepted");
    const what = verdict.action === "correct" ? "corrected → " + show(field.kind, verdict.value) : "accepted";
    line.textContent = what + " (" + verdict.author + ", " + verdict.created + ")" + (verdict.note ? " — " + verdict.note : "");
  }

  function renderFields() {
    list.textContent = "";
    data.fields.forEach(function (field, index) {
      const item = el("li", { class: "field", "data-field": field.name, id: "field-" + field.name.replace(".", "-") });
      item.appendChild(el("div", { class: "label" }, field.label + " (" + field.name + ")"));
      item.appendChild(el("div", { class: "machine" }, show(field.kind, field.machine)));
      if (!field.evidence.length) item.appendChild(el("div", { class: "no-evidence" }, "no evidence"));
      const verdict = lastVerdict(field.name);
      const start = verdict && verdict.action === "correct" ? verdict.value : field.machine;
      const box = el("textarea", { class: "value", rows: field.kind === "text" ? "2" : "4" });
      box.value = editable(field.kind, start);
      item.appendChild(box);
      item.appendChild(el("input", { class: "note", placeholder: "note", maxlength: "4000" }));
      const buttons = el("div", { class: "buttons" });
      const accept = el("button", { type: "button", class: "accept" }, "Accept (a)");
      const save = el("button", { type: "button", class: "save" }, "Save correction (Enter)");
      accept.addEventListener("click", function () { select(index); send(index, "accept"); });
      save.addEventListener("click", function () { select(index); send(index, "correct"); });
      buttons.appendChild(accept);
      buttons.appendChild(save);
      item.appendChild(buttons);
      item.appendChild(el("div", { class: "verdict" }));
      item.addEventListener("click", function () { if (current !== index) select(index); });
      list.appendChild(item);
      renderVerdict(item, field);
    });
  }

  function items() { return list.querySelectorAll(".field"); }

  function select(index) {
    const all = items();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (item, i) { item.classList.toggle("current", i === current); });
    all[current].scrollIntoView({ block: "nearest" });
    const evidence = data.fields[current].evidence;
    showPage(evidence.length ? evidence[0].page : shownPage);
  }

  function pageCount() { return Math.max(1, data.pages.length); }

  function showPage(number) {
    shownPage = Math.max(1, Math.min(pageCount(), number));
    document.getElementById("page-number").textContent = String(shownPage);
    document.getElementById("page-count").textContent = String(pageCount());
    const info = data.pages[shownPage - 1] || {};
    if (data.format === "pdf" && info.width && info.height) {
      pageText.hidden = true;
      image.hidden = false;
      const src = api + "/pages/" + shownPage + ".png?scale=1.5";
      if (image.getAttribute("src") !== src) image.setAttribute("src", src);
      drawBoxes(info);
    } else {
      image.hidden = true;
      pageText.hidden = false;
      drawText();
    }
  }

  function spansOnPage() {
    return data.fields[current].evidence.filter(function (ev) { return ev.page === shownPage; });
  }

  function drawBoxes(info) {
    holder.querySelectorAll(".hl").forEach(function (node) { node.remove(); });
    for (const ev of spansOnPage()) {
      for (const box of ev.boxes) {
        const mark = el("div", { class: "hl", "data-key": ev.key });
        mark.style.left = (100 * box.x0 / info.width) + "%";
        mark.style.top = (100 * box.top / info.height) + "%";
        mark.style.width = (100 * (box.x1 - box.x0) / info.width) + "%";
        mark.style.height = (100 * (box.bottom - box.top) / info.height) + "%";
        holder.appendChild(mark);
      }
    }
    scrollToMark();
  }

  // The first highlighted box in view (again once a new page image has its size).
  function scrollToMark() {
    const first = holder.querySelector(".hl");
    if (first && image.complete && image.naturalWidth) first.scrollIntoView({ block: "center" });
  }

  function drawText() {
    holder.querySelectorAll(".hl").forEach(function (node) { node.remove(); });
    const text = data.texts[shownPage - 1] || "";
    const spans = spansOnPage().slice().sort(function (a, b) { return a.start - b.start; });
    pageText.textContent = "";
    let at = 0;
    for (const ev of spans) {
      if (ev.start < at) continue;
      pageText.appendChild(document.createTextNode(text.slice(at, ev.start)));
      pageText.appendChild(el("mark", { class: "hl-text" }, text.slice(ev.start, ev.end)));
      at = ev.end;
    }
    pageText.appendChild(document.createTextNode(text.slice(at)));
    const first = pageText.querySelector("mark");
    if (first) first.scrollIntoView({ block: "center" });
  }

  function send(index, action) {
    const field = data.fields[index];
    const item = items()[index];
    const body = { field: field.name, action: action, note: item.querySelector(".note").value || null };
    if (action === "correct") {
      try { body.value = parse(field.kind, item.querySelector(".value").value); }
      catch (err) { window.alert("not valid JSON: " + err.message); return; }
    }
    fetch(api + "/corrections", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, json: json }; });
    }).then(function (result) {
      if (!result.ok) { window.alert(JSON.stringify(result.json.detail)); return; }
      data.corrections.push(result.json);
      item.querySelector(".note").value = "";
      renderVerdict(item, field);
      document.activeElement.blur();
      select(index + 1);
    });
  }

  document.addEventListener("keydown", function (event) {
    const typing = event.target.matches("textarea, input");
    if (typing) {
      if (event.key === "Escape") { event.target.blur(); event.preventDefault(); }
      else if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); send(current, "correct"); }
      return;
    }
    if (event.key === "j" || event.key === "ArrowDown") { select(current + 1); event.preventDefault(); }
    else if (event.key === "k" || event.key === "ArrowUp") { select(current - 1); event.preventDefault(); }
    else if (event.key === "a") { send(current, "accept"); event.preventDefault(); }
    else if (event.key === "e") { items()[current].querySelector(".value").focus(); event.preventDefault(); }
    else if (event.key === "n") { items()[current].querySelector(".note").focus(); event.preventDefault(); }
    else if (event.key === "PageDown") { showPage(shownPage + 1); event.preventDefault(); }
    else if (event.key === "PageUp") { showPage(shownPage - 1); event.preventDefault(); }
  });
  image.addEventListener("load", scrollToMark);
  document.getElementById("prev-page").addEventListener("click", function () { showPage(shownPage - 1); });
  document.getElementById("next-page").addEventListener("click", function () { showPage(shownPage + 1); });

  fetch(api + "/review", { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (json) {
      data = json;
      renderFields();
      select(0);
      document.body.dataset.ready = "1";
    });
})();
