// reelforge dashboard, videos: a render's progress stage by stage, and the scene editor's focus.
// No inline scripts (the Content-Security-Policy forbids them); htmx does the editor's requests.
"use strict";

function markStages(list, stage, finished) {
  if (!list) return;
  const items = Array.from(list.querySelectorAll("[data-stage]"));
  const at = items.findIndex((li) => li.dataset.stage === stage);
  if (at < 0 && !finished) return;
  items.forEach((li, i) => {
    li.classList.toggle("done", finished || i < at);
    li.classList.toggle("now", !finished && i === at);
  });
}

// One EventSource per render: the overall bar, the stage's message and the list of stages.
// When the job ends the page reloads and shows the video (or what went wrong).
function followRender(el) {
  const id = el.dataset.videoJob;
  const bar = el.querySelector("progress");
  const message = el.querySelector(".stage");
  const list = el.querySelector(".stages");
  const heading = el.querySelector("h2");
  const badge = document.querySelector(".meta .badge");
  const source = new EventSource(`/api/v1/jobs/${encodeURIComponent(id)}/events`);
  source.addEventListener("progress", (event) => {
    const data = JSON.parse(event.data);
    if (bar && typeof data.progress === "number") bar.value = data.progress;
    if (message) message.textContent = data.message || data.stage || "";
    markStages(list, data.stage, false);
    if (heading && el.dataset.started === undefined) {
      el.dataset.started = "";
      heading.textContent = "Making your video";
      if (badge) {
        badge.textContent = "rendering";
        badge.className = "badge status-rendering";
      }
    }
  });
  source.addEventListener("end", (event) => {
    source.close();
    const state = JSON.parse(event.data).state;
    el.dataset.state = state;
    if (state === "succeeded") {
      markStages(list, "", true);
      if (bar) bar.value = 1;
    }
    window.location.reload();
  });
}

// After htmx swaps in the edited scene list, put the keyboard focus back where the person was
// (the moved scene's button, the new scene's narration).
function restoreFocus() {
  const editor = document.getElementById("editor");
  const target = editor && editor.dataset.focus ? document.getElementById(editor.dataset.focus) : null;
  if (target) target.focus();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-video-job]").forEach(followRender);
  restoreFocus();
});
document.addEventListener("htmx:afterSettle", restoreFocus);
