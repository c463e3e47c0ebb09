/* Trait d'union – small progressive enhancements; every page works without this file. */
(function () {
  "use strict";

  /* « Copier le lien » next to a calendar address: shown only when scripts run. */
  function copyButtons() {
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy-target"));
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      if (!field) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        var say = function (text) {
          if (status) {
            status.textContent = text;
          }
        };
        var fallback = function () {
          field.focus();
          field.select();
          say(document.execCommand && document.execCommand("copy")
            ? "Lien copié."
            : "Le lien est sélectionné : copiez-le avec votre téléphone ou Ctrl+C.");
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(function () {
            say("Lien copié.");
          }, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", copyButtons);
  } else {
    copyButtons();
  }
})();
