// Research pages: the import form's upload progress (htmx's XHR progress events) and its
// answer swapped in even when the file was refused (a 400 page carries the message).
// No inline scripts: the Content-Security-Policy forbids them.
"use strict";

function uploadParts(form) {
  const box = form.querySelector(".upload-progress");
  return {
    box,
    bar: box && box.querySelector("progress"),
    stage: box && box.querySelector(".upload-stage"),
    button: form.querySelector("button[type=submit]"),
  };
}

document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload")) return;
  const { box, bar, stage, button } = uploadParts(form);
  if (box) box.hidden = false;
  if (bar) { bar.max = 100; bar.value = 0; bar.textContent = "0%"; }
  if (stage) stage.textContent = "Uploading…";
  if (button) button.disabled = true;
});

document.addEventListener("htmx:xhr:progress", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload")) return;
  const { bar, stage } = uploadParts(form);
  const detail = event.detail;
  if (!detail.lengthComputable || !detail.total) return;
  const share = Math.round((100 * detail.loaded) / detail.total);
  if (bar && share >= bar.value) { bar.value = share; bar.textContent = `${share}%`; }
  if (stage) stage.textContent = share < 100 ? `Uploading… ${share}%` : "Uploaded; reading the rows…";
});

document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload")) return;
  const { button, stage } = uploadParts(form);
  if (button) button.disabled = false;  // the form is usually replaced by the answer anyway
  if (stage && !event.detail.successful) stage.textContent = "The upload failed; try again.";
});

// A refused file answers 400 with the page and its message: show it like a success.
document.addEventListener("htmx:beforeSwap", (event) => {
  const form = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (!(form instanceof HTMLElement) || !form.hasAttribute("data-upload")) return;
  const status = event.detail.xhr.status;
  if (status === 400 || status === 413 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// After an import, move focus to what it did (or to the message saying why it did not).
document.addEventListener("htmx:afterSettle", () => {
  const result = document.getElementById("import-result") ||
    document.querySelector("#import .problem");
  if (result instanceof HTMLElement) {
    if (!result.hasAttribute("tabindex")) result.setAttribute("tabindex", "-1");
    result.focus();
  }
});
