// reelforge Keys and Account pages. No inline scripts (the page CSP forbids them).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // A new API key is in the answer to the form that made it. Turning this history entry
  // into a plain GET means reloading the page asks for the list again (the key is gone)
  // instead of re-sending the form and making a second key.
  if (document.querySelector("[data-shown-once]")) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  // A form that was refused: go to its first wrong field, so the message next to it is seen.
  const wrong = document.querySelector('[aria-invalid="true"]');
  if (wrong) wrong.focus();
  // The one-time key is selected as a whole when focused, ready to copy by hand too.
  document.querySelectorAll("input[data-select-on-focus]").forEach((input) => {
    input.addEventListener("focus", () => input.select());
  });
});
