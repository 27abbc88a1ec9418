// Move buttons (forms marked data-deplacer: the arbre's axes, enjeux and objectifs, the rows of
// the projet's content): the page reloads after a move; the focus comes back to the button used,
// so that a keyboard user carries on from there (press it again to move further). When that
// button is now disabled (the row reached an end), to the other button of the same row.
(function () {
  "use strict";

  var CLE = "centresocial.deplacement";

  document.addEventListener("submit", function (evenement) {
    var formulaire = evenement.target;
    if (!formulaire.matches("form[data-deplacer]")) {
      return;
    }
    var sens = formulaire.querySelector("input[name=sens]");
    try {
      sessionStorage.setItem(
        CLE,
        JSON.stringify({ page: location.pathname, action: formulaire.action, sens: sens && sens.value })
      );
    } catch (erreur) {
      // Private browsing without storage: the move still happens, only the focus is lost.
    }
  });

  var memoire;
  try {
    memoire = JSON.parse(sessionStorage.getItem(CLE) || "null");
    sessionStorage.removeItem(CLE);
  } catch (erreur) {
    return;
  }
  if (!memoire || memoire.page !== location.pathname) {
    return;
  }
  var boutons = [];
  document.querySelectorAll("form[data-deplacer]").forEach(function (formulaire) {
    if (formulaire.action !== memoire.action) {
      return;
    }
    var sens = formulaire.querySelector("input[name=sens]");
    var bouton = formulaire.querySelector("button");
    if (bouton && !bouton.disabled) {
      boutons[sens && sens.value === memoire.sens ? "unshift" : "push"](bouton);
    }
  });
  if (boutons.length) {
    boutons[0].focus();
  }
})();
