// The certification page: pick or upload test files, run them with progress, show the report.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const { api, el, pct } = Console;

  function setError(text) { $("error").textContent = text || ""; }

  async function loadFiles(checked) {
    const box = $("file-list");
    try {
      const data = await api("GET", "/api/certify/files");
      box.replaceChildren();
      if (!data.files.length) {
        box.append(el("p", { class: "hint" }, "No test files yet: upload some."));
        return;
      }
      data.files.forEach((file, i) => {
        const id = `file-${i}`;
        const input = el("input", { type: "checkbox", id, value: file.name,
                                    checked: checked && checked.includes(file.name) });
        box.append(el("div", {}, input, " ", el("label", { for: id }, file.name), el("span", { class: "kind" }, file.kind)));
      });
    } catch (err) {
      setError(err.message);
    }
  }

  $("upload-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    setError("");
    const input = $("upload-files");
    if (!input.files.length) { setError("Choose one or more files to upload."); return; }
    const form = new FormData();
    for (const file of input.files) form.append("files", file, file.name);
    $("upload").disabled = true;
    $("upload-status").textContent = "Uploading…";
    try {
      const data = await api("POST", "/api/certify/upload", form);
      const names = data.saved.map((f) => f.name);
      $("upload-status").textContent = `Uploaded: ${names.join(", ")}`;
      input.value = "";
      await loadFiles(names.filter((n) => !n.endsWith(".wav")));
    } catch (err) {
      $("upload-status").textContent = "";
      setError(err.message);
    } finally {
      $("upload").disabled = false;
    }
  });

  $("refresh").addEventListener("click", () => {
    const checked = [...document.querySelectorAll("#file-list input:checked")].map((i) => i.value);
    loadFiles(checked);
  });

  $("run-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    setError("");
    const files = [...document.querySelectorAll("#file-list input:checked")].map((i) => i.value);
    if (!files.length) { setError("Pick at least one test file."); return; }
    $("run").disabled = true;
    try {
      const minimum = Number($("min-accuracy").value);
      let job = await api("POST", "/api/certify/runs",
                          { files, checks: $("run-checks").checked, min_intent_accuracy: minimum });
      $("report").hidden = true;
      $("progress-box").hidden = false;
      while (job.state === "running") {
        showProgress(job);
        await new Promise((resolve) => setTimeout(resolve, 400));
        job = await api("GET", `/api/certify/runs/${job.id}`);
      }
      showProgress(job);
      if (job.state === "failed") setError(`The run failed: ${job.error}`);
      else showReport(job);
    } catch (err) {
      setError(err.message);
    } finally {
      $("run").disabled = false;
    }
  });

  function showProgress(job) {
    const bar = $("run-progress");
    bar.max = Math.max(job.total, 1);
    bar.value = job.done;
    $("progress-label").textContent = job.state === "running"
      ? (job.phase === "checks" ? `${job.done} of ${job.total} cases; now the model and skill checks…`
                                : `Running: ${job.done} of ${job.total} cases…`)
      : `${job.state === "finished" ? "Finished" : "Failed"}: ${job.done} of ${job.total} cases in ${job.seconds.toFixed(1)} s`;
  }

  function showReport(job) {
    const r = job.report;
    const verdict = $("verdict");
    verdict.className = "verdict " + (r.ok ? "ok" : "bad");
    verdict.replaceChildren(el("strong", {}, r.ok ? "PASSED" : "FAILED"),
      `: ${r.passed} passed, ${r.failed} failed; intent accuracy ${pct(r.intent_accuracy)}, slot accuracy ${pct(r.slot_accuracy)}` +
      (r.audio.cases ? `; audio WER ${pct(r.audio.wer)}` : "") +
      (r.thresholds.missed.length ? ` — ${r.thresholds.missed.join("; ")}` : ""));
    const downloads = $("downloads");
    downloads.replaceChildren(el("span", {}, "Download:"));
    const labels = { "report.json": "JSON", "junit.xml": "JUnit XML", "report.html": "HTML report" };
    for (const [name, url] of Object.entries(job.downloads)) {
      if (labels[name]) downloads.append(el("a", { href: url, download: "" }, labels[name]));
    }
    const intents = $("intents-table").tBodies[0];
    intents.replaceChildren();
    for (const [name, f] of Object.entries(r.intents)) {
      intents.append(el("tr", {}, el("th", { scope: "row", class: "intent" }, name), el("td", { class: "num" }, pct(f.precision)),
        el("td", { class: "num" }, pct(f.recall)), el("td", { class: "num" }, pct(f.f1)),
        el("td", { class: "num" }, pct(f.slot_accuracy)), el("td", { class: "num" }, f.support)));
    }
    $("matrix-box").hidden = !r.matrix;
    if (r.matrix) $("matrix").src = job.downloads["matrix.svg"];
    $("failing-title").textContent = `Failing cases (${r.failing.length})`;
    const failing = $("failing-table").tBodies[0];
    failing.replaceChildren();
    for (const c of r.failing) {
      failing.append(el("tr", { class: "failing-case" }, el("td", {}, c.source), el("td", {}, c.name),
        el("td", { class: "intent" }, c.expected || ""), el("td", { class: "intent" }, c.actual || ""),
        el("td", {}, c.failures.join("; "))));
    }
    if (!r.failing.length) failing.append(el("tr", {}, el("td", { colspan: "5" }, "None: every case passed.")));
    const count = (status) => r.checks.filter((c) => c.status === status).length;
    const warnings = count("WARNING");
    $("checks-title").textContent = r.checks.length
      ? `Certification checks (${count("PASSED")} passed, ${warnings ? warnings + " warnings, " : ""}${count("FAILED")} failed)`
      : "Certification checks (not run)";
    const checks = $("checks-table").tBodies[0];
    checks.replaceChildren();
    for (const c of r.checks) {
      checks.append(el("tr", {}, el("td", {}, c.title), el("td", {}, c.severity), el("td", { class: c.status }, c.status),
        el("td", {}, (c.details || []).join("; "))));
    }
    $("report").hidden = false;
    $("report").focus();
  }

  loadFiles([]);
})();
