// Text limits shown, never applied by cutting: an input's limit comes as data-longueur-max (the
// server never sends `maxlength`, with which a browser silently cuts a pasted text). Near the
// limit, a counter under the field « 230 / 255 caractères », in red with how many are too many;
// the form still sends the whole text, and the server answers with its message by the field.
(function () {
  "use strict";

  function compteur(champ) {
    var max = parseInt(champ.dataset.longueurMax, 10);
    if (!max || champ.dataset.compteur) {
      return;
    }
    champ.dataset.compteur = "oui";
    var note = document.createElement("div");
    note.className = "form-text compteur-caracteres";
    note.id = (champ.id || champ.name) + "_compteur";
    var decrit = champ.getAttribute("aria-describedby");
    champ.setAttribute("aria-describedby", (decrit ? decrit + " " : "") + note.id);
    champ.insertAdjacentElement("afterend", note);

    function actualiser() {
      // Counted as the server counts: without the spaces around, in code points (an emoji is one).
      var longueur = Array.from(champ.value.trim()).length;
      var trop = longueur - max;
      note.textContent =
        trop > 0
          ? longueur + " / " + max + " caractères : " + trop + " de trop : raccourcissez le texte pour l'enregistrer"
          : longueur + " / " + max + " caractères";
      // Shown from 80 % of the limit on: short fields stay uncluttered.
      note.hidden = longueur < max * 0.8;
      note.classList.toggle("text-danger", trop > 0);
      note.classList.toggle("fw-semibold", trop > 0);
    }
    champ.addEventListener("input", actualiser);
    actualiser();
  }

  function preparer(racine) {
    racine.querySelectorAll("[data-longueur-max]").forEach(compteur);
  }

  preparer(document);
  // Rows added by the editor (and htmx fragments) get their counters too.
  new MutationObserver(function (changements) {
    changements.forEach(function (changement) {
      changement.addedNodes.forEach(function (noeud) {
        if (noeud.nodeType === 1) {
          if (noeud.matches("[data-longueur-max]")) {
            compteur(noeud);
          }
          preparer(noeud);
        }
      });
    });
  }).observe(document.body, { childList: true, subtree: true });
})();
