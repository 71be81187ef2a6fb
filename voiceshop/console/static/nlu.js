// The NLU page: how a sentence is read, and a corrected reading appended as a test case.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const { api, el } = Console;
  const intents = JSON.parse($("intents-data").textContent);
  let reading = null;

  const factors = ["similarity", "alignment_fit", "known_words", "evidence", "explained"];
  const num = (v) => (v === undefined || v === null ? "–" : Number(v).toFixed(3));

  for (const name of Object.keys(intents).sort()) $("case-intent").append(el("option", { value: name }, name));

  function slotInputs(intent, values) {
    const box = $("case-slots");
    box.replaceChildren(el("legend", {}, "Slots (leave empty when not said)"));
    const names = intents[intent] || [];
    if (!names.length) box.append(el("p", { class: "hint" }, "This intent has no slots."));
    for (const name of names) {
      const id = `slot-${name}`;
      box.append(el("label", { for: id }, name),
        el("input", { type: "text", id, "data-slot": name, value: (values && values[name]) || "", spellcheck: "false" }));
    }
  }

  $("case-intent").addEventListener("change", () => slotInputs($("case-intent").value, {}));

  $("nlu-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("error").textContent = "";
    const text = $("sentence").value.trim();
    if (!text) { $("error").textContent = "Type a sentence."; return; }
    try {
      reading = await api("POST", "/api/nlu", { text });
      show(reading);
    } catch (err) {
      $("error").textContent = err.message;
    }
  });

  function show(r) {
    $("result").hidden = false;
    $("winner-intent").textContent = r.intent;
    $("winner-confidence").textContent = `confidence ${r.confidence.toFixed(2)}`;
    const slots = $("slots-table").tBodies[0];
    slots.replaceChildren();
    for (const [name, s] of Object.entries(r.slots)) {
      slots.append(el("tr", {}, el("th", { scope: "row" }, name), el("td", {}, s.value), el("td", {}, s.type),
        el("td", {}, s.resolved || "–"), el("td", {}, s.id || "–"), el("td", {}, s.status || "–")));
    }
    if (!Object.keys(r.slots).length) slots.append(el("tr", {}, el("td", { colspan: "6" }, "No slots filled.")));
    const values = $("values");
    values.replaceChildren();
    for (const v of r.values) values.append(el("span", { class: "chip" }, `${v.words} = ${v.kind}:${v.id || v.value}`));
    if (!r.values.length) values.append("none");
    $("unknown").textContent = r.unknown.length ? `Words the model does not know: ${r.unknown.join(", ")}` : "";
    const ranked = $("ranked-table").tBodies[0];
    ranked.replaceChildren();
    r.ranked.forEach((m, i) => {
      const f = m.factors || {};
      ranked.append(el("tr", {}, el("td", { class: "num" }, i + 1), el("th", { scope: "row", class: "intent" }, m.intent),
        el("td", { class: "num" }, num(m.confidence)), el("td", { class: "num" }, num(m.score)),
        ...factors.map((k) => el("td", { class: "num" }, num(f[k]))), el("td", {}, m.sample || "")));
    });
    $("case-utterance").value = r.utterance;
    const intent = r.intent in intents ? r.intent : "AMAZON.FallbackIntent";
    $("case-intent").value = intent;
    const values0 = {};
    for (const [name, s] of Object.entries(r.slots)) values0[name] = s.value;
    slotInputs(intent, values0);
    $("case-status").textContent = "";
  }

  $("case-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("error").textContent = "";
    if (!reading) return;
    const slots = {};
    for (const input of document.querySelectorAll("#case-slots input")) {
      if (input.value.trim()) slots[input.dataset.slot] = input.value.trim();
    }
    try {
      const added = await api("POST", "/api/nlu/cases", {
        utterance: reading.utterance, intent: $("case-intent").value, slots,
        file: $("case-file").value.trim(), referenceTimestamp: reading.referenceTimestamp,
      });
      $("case-status").textContent = `Added to ${added.file} (${added.cases} case${added.cases === 1 ? "" : "s"}).`;
    } catch (err) {
      $("error").textContent = err.message;
    }
  });
})();
