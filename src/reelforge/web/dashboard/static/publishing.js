// reelforge dashboard, publishing: the person's time zone, the carousel's order (drag or the
// Earlier/Later buttons), TikTok's compose rules as they change, the schedule choices, and
// dragging a scheduled post to another day on the calendar (its move form does the work).
// Every form still works without this file; the server checks everything again.
"use strict";

(function () {
  const browserZone = () => {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    } catch (error) {
      return "UTC";
    }
  };

  // --- time zone: pages are drawn in UTC until the browser says its own zone ------------
  function timeZone(root) {
    const zone = browserZone();
    const page = root.querySelector("[data-tz]");
    if (page && page.hasAttribute("data-tz-auto") && page.dataset.tz !== zone) {
      const url = new URL(window.location.href);
      if (!url.searchParams.has("tz")) {
        url.searchParams.set("tz", zone);
        window.location.replace(url.toString());
        return true;
      }
    }
    root.querySelectorAll("input[data-tz-field]").forEach((input) => {
      if (!input.value || input.value === "UTC") input.value = zone;
    });
    return false;
  }

  // --- the carousel ----------------------------------------------------------------------
  function carouselList() {
    return document.querySelector("[data-carousel]");
  }

  function renumber(list) {
    const slides = list.querySelectorAll("[data-slide]");
    slides.forEach((slide, index) => {
      const position = slide.querySelector(".slide-pos");
      if (position) position.textContent = String(index + 1);
      const image = slide.querySelector("img");
      const name = slide.querySelector(".slide-name");
      if (image && name) image.alt = `Image ${index + 1}: ${name.textContent}`;
      const up = slide.querySelector("[data-move='up']");
      const down = slide.querySelector("[data-move='down']");
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === slides.length - 1;
    });
    const empty = document.querySelector("[data-carousel-empty]");
    if (empty) empty.hidden = slides.length > 0;
  }

  function announce(text) {
    const status = document.querySelector("[data-carousel-status]");
    if (status) status.textContent = text;
  }

  function moveSlide(slide, direction) {
    const list = slide.parentElement;
    if (direction === "up" && slide.previousElementSibling) {
      list.insertBefore(slide, slide.previousElementSibling);
    } else if (direction === "down" && slide.nextElementSibling) {
      list.insertBefore(slide.nextElementSibling, slide);
    } else {
      return;
    }
    renumber(list);
    const slides = Array.from(list.querySelectorAll("[data-slide]"));
    const name = slide.querySelector(".slide-name");
    announce(`${name ? name.textContent : "Image"} is now number ${slides.indexOf(slide) + 1} of ${slides.length}.`);
    // Keep the focus on the button pressed; at either end it is disabled, so take the other.
    const again = slide.querySelector(`[data-move="${direction}"]`);
    const other = slide.querySelector(`[data-move="${direction === "up" ? "down" : "up"}"]`);
    if (again && !again.disabled) again.focus();
    else if (other) other.focus();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-slide] button");
    if (!button) return;
    const slide = button.closest("[data-slide]");
    if (button.dataset.move) moveSlide(slide, button.dataset.move);
    if (button.hasAttribute("data-remove")) {
      const list = slide.parentElement;
      const next = slide.nextElementSibling || slide.previousElementSibling;
      const name = slide.querySelector(".slide-name");
      slide.remove();
      renumber(list);
      announce(`${name ? name.textContent : "The image"} was removed from the carousel.`);
      const focus = next && next.querySelector("button");
      if (focus) focus.focus();
    }
  });

  let dragged = null;
  document.addEventListener("dragstart", (event) => {
    const slide = event.target.closest && event.target.closest("[data-slide]");
    const chip = event.target.closest && event.target.closest("[data-post]");
    dragged = slide || chip;
    if (!dragged) return;
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", chip ? chip.dataset.post : "slide");
  });
  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    document.querySelectorAll(".drop-before, .drop-target").forEach((el) => el.classList.remove("drop-before", "drop-target"));
    dragged = null;
  });
  document.addEventListener("dragover", (event) => {
    if (!dragged) return;
    if (dragged.matches("[data-slide]")) {
      const over = event.target.closest("[data-slide]");
      if (!over || over.parentElement !== dragged.parentElement) return;
      event.preventDefault();
      document.querySelectorAll(".drop-before").forEach((el) => el.classList.remove("drop-before"));
      if (over !== dragged) over.classList.add("drop-before");
    } else {
      const day = event.target.closest("[data-day]");
      if (!day) return;
      event.preventDefault();
      document.querySelectorAll(".drop-target").forEach((el) => el.classList.remove("drop-target"));
      day.classList.add("drop-target");
    }
  });
  document.addEventListener("drop", (event) => {
    if (!dragged) return;
    if (dragged.matches("[data-slide]")) {
      const over = event.target.closest("[data-slide]");
      if (!over || over === dragged || over.parentElement !== dragged.parentElement) return;
      event.preventDefault();
      over.parentElement.insertBefore(dragged, over);
      renumber(over.parentElement);
      const slides = Array.from(over.parentElement.querySelectorAll("[data-slide]"));
      announce(`Moved to number ${slides.indexOf(dragged) + 1} of ${slides.length}.`);
      return;
    }
    const day = event.target.closest("[data-day]");
    const form = document.querySelector(`form[data-move-form="${dragged.dataset.post}"]`);
    if (!day || !form) return;
    event.preventDefault();
    form.querySelector("input[name='day']").value = day.dataset.day;
    form.requestSubmit();
  });

  // Before choosing another account, carry the carousel in its current order.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form[data-carry-images]")) return;
    const list = carouselList();
    if (!list) return;
    form.querySelectorAll("input[name='images']").forEach((input) => input.remove());
    list.querySelectorAll("input[name='images']").forEach((source) => {
      const copy = document.createElement("input");
      copy.type = "hidden";
      copy.name = "images";
      copy.value = source.value;
      form.appendChild(copy);
    });
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    const list = carouselList();
    if (list && event.target === list) {
      renumber(list);
      const input = document.getElementById("files");
      if (input) input.value = "";
      const problem = document.getElementById("upload-problem");
      if (problem) problem.textContent = "";
      announce(`${list.querySelectorAll("[data-slide]").length} images in the carousel.`);
    }
  });

  // --- the compose form ------------------------------------------------------------------
  function tiktokRules(form) {
    const disclose = form.querySelector("[data-disclose]");
    if (!disclose) return;
    const kinds = form.querySelector("[data-kinds]");
    const yourBrand = form.querySelector("[data-your-brand]");
    const branded = form.querySelector("[data-branded]");
    const prompt = form.querySelector("[data-label-prompt]");
    const needsKind = form.querySelector("[data-needs-kind]");
    const notSent = form.querySelector("[data-not-sent]");
    const privacy = form.querySelector("[data-privacy]");
    const privateOption = privacy && privacy.querySelector("option[data-private]");
    const privateHint = form.querySelector("[data-branded-private]");
    const plain = form.querySelector("[data-consent-plain]");
    const brandedConsent = form.querySelector("[data-consent-branded]");
    const submit = form.querySelector("[data-submit]");
    const blocked = submit && submit.disabled;  // drawn disabled by the server: stays so

    function update() {
      const on = disclose.checked;
      kinds.hidden = !on;
      const isBranded = on && branded.checked;
      const isOwn = on && yourBrand.checked;
      prompt.textContent = isBranded ? prompt.dataset.paid : isOwn ? prompt.dataset.promotional : "";
      needsKind.hidden = !on || isBranded || isOwn;
      notSent.hidden = !on || !(isBranded || isOwn);
      if (privateOption) {
        privateOption.disabled = isBranded;
        if (isBranded) privateOption.title = privateHint ? privateHint.textContent : "";
        else privateOption.removeAttribute("title");
        if (isBranded && privacy.value === privateOption.value) privacy.value = "";
      }
      if (privateHint) privateHint.hidden = !isBranded;
      if (plain && brandedConsent) {
        plain.hidden = isBranded;
        brandedConsent.hidden = !isBranded;
      }
      if (submit && !blocked) {
        submit.disabled = on;  // a disclosed post is stopped (see the notice) until it is off
        if (on) submit.title = isBranded || isOwn ? notSent.textContent : needsKind.textContent;
        else submit.removeAttribute("title");
      }
    }
    [disclose, yourBrand, branded].forEach((box) => box.addEventListener("change", update));
    update();
  }

  function schedule(form) {
    const radios = form.querySelectorAll("input[data-when]");
    const later = form.querySelector("[data-later]");
    const input = form.querySelector("#publish_local");
    const submit = form.querySelector("[data-submit]");
    if (!radios.length || !later) return;
    const zone = browserZone();
    form.querySelectorAll("[data-tz-name]").forEach((el) => {
      if (el.textContent === "UTC") el.textContent = zone;
    });
    function update() {
      const isLater = form.querySelector("input[data-when][value='later']").checked;
      later.hidden = !isLater;
      if (input) input.required = isLater;
      if (submit) submit.textContent = isLater ? submit.dataset.laterLabel : submit.dataset.now;
    }
    radios.forEach((radio) => radio.addEventListener("change", update));
    form.querySelectorAll("button[data-slot]").forEach((button) => {
      button.addEventListener("click", () => {
        form.querySelector("input[data-when][value='later']").checked = true;
        if (input) {
          input.value = button.dataset.slot;
          input.focus();
        }
        update();
      });
    });
    update();
  }

  function start() {
    if (timeZone(document)) return;
    document.querySelectorAll("form[data-compose]").forEach((form) => {
      tiktokRules(form);
      schedule(form);
    });
    const list = carouselList();
    if (list) renumber(list);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
