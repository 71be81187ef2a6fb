// Shared by the console's pages: JSON calls to the console's API, and small DOM helpers.
"use strict";

const Console = {
  // fetch with the console's header (POSTs without it are refused) and an Error carrying the server's message
  async api(method, url, body) {
    const options = { method, headers: { "X-Voiceshop-Console": "1" } };
    if (body instanceof FormData) {
      options.body = body;
    } else if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, options);
    } catch (err) {
      throw new Error("the console is not reachable (is `voiceshop console` still running?)");
    }
    let data = null;
    try { data = await response.json(); } catch (err) { data = null; }
    if (!response.ok) {
      throw new Error((data && data.error) || `the console answered HTTP ${response.status}`);
    }
    return data;
  },

  el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  },

  pretty(value) { return JSON.stringify(value, null, 2); },

  money(cents) { return "$" + (cents / 100).toFixed(2); },

  pct(value) { return value === null || value === undefined ? "–" : (value * 100).toFixed(1) + "%"; },

  async copy(text, button) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (err) {  // no clipboard permission: select the text so Ctrl+C copies it
      const range = document.createRange();
      range.selectNodeContents(button.nextElementSibling);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    const label = button.textContent;
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = label; }, 1200);
  },
};
