/*
 * Siris: the little behaviour the pages need, driven by data attributes (no inline scripts:
 * the Content-Security-Policy is script-src 'self').
 *
 *   data-confirm="Question?"   on a <form>, a submit <button> or a link: asks before going on.
 *                               (Elements driven by htmx use hx-confirm instead.)
 *   data-submit-once           on a <form>: disables its submit buttons once it is sent, so a
 *                               double tap does not sign or acknowledge twice. For forms sent by
 *                               htmx use hx-disabled-elt instead.
 *   <meta name="csrf-token">   its content is sent as X-CSRFToken on every htmx request.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // htmx: CSRF header on every request.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token && event.detail && event.detail.headers) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });

  // Confirm before following a link or pressing a button that carries data-confirm.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("a[data-confirm], button[data-confirm], input[data-confirm]");
    if (!target || target.hasAttribute("hx-confirm")) {
      return;
    }
    if (!window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    } else if (target.form) {
      // Already confirmed: do not ask again for the form's own data-confirm.
      target.form.setAttribute("data-siris-confirmed", "1");
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    if (form.hasAttribute("data-confirm") && !form.hasAttribute("hx-confirm")) {
      if (form.getAttribute("data-siris-confirmed") === "1") {
        form.removeAttribute("data-siris-confirmed");
      } else if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
        return;
      }
    }
    if (form.hasAttribute("data-submit-once")) {
      if (form.getAttribute("data-siris-sent") === "1") {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-siris-sent", "1");
      // Disabled after the browser has read the form, so the pressed button's value is still sent.
      window.setTimeout(function () {
        form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]').forEach(function (button) {
          button.disabled = true;
          button.setAttribute("aria-disabled", "true");
        });
      }, 0);
    }
  });

  // The page came back from the browser's cache (back button): let the form be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll('form[data-siris-sent="1"]').forEach(function (form) {
      form.removeAttribute("data-siris-sent");
      form.querySelectorAll("[aria-disabled='true']").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-disabled");
      });
    });
  });
})();
