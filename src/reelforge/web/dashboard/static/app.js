// reelforge dashboard: live job progress (Server-Sent Events) and small helpers.
// No framework and no inline scripts (the Content-Security-Policy forbids them).
"use strict";

function followJob(el) {
  const id = el.dataset.job;
  const bar = el.querySelector("progress");
  const stage = el.querySelector(".stage");
  const source = new EventSource(`/api/v1/jobs/${encodeURIComponent(id)}/events`);
  source.addEventListener("progress", (event) => {
    const data = JSON.parse(event.data);
    if (bar) bar.value = data.progress;
    if (stage) stage.textContent = data.message || data.stage;
  });
  source.addEventListener("end", (event) => {
    source.close();
    const state = JSON.parse(event.data).state;
    if (stage) stage.textContent = state;
    el.dataset.state = state;
    const next = el.dataset.doneUrl;
    if (next && state === "succeeded") window.location.assign(next);
    else if (el.dataset.reloadOnEnd !== undefined) window.location.reload();
  });
  source.onerror = () => {
    // The browser reconnects by itself (Last-Event-ID resumes the stream).
  };
}

function copyButtons(root) {
  root.querySelectorAll("button[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const target = document.getElementById(button.dataset.copy);
      if (!target) return;
      await navigator.clipboard.writeText(target.value || target.textContent || "");
      button.textContent = "Copied";
    });
  });
}

function confirmForms(root) {
  root.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
}

function start(root) {
  root.querySelectorAll("[data-job]").forEach(followJob);
  copyButtons(root);
  confirmForms(root);
}

document.addEventListener("DOMContentLoaded", () => start(document));
document.addEventListener("htmx:afterSwap", (event) => start(event.target));
