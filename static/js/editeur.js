// Fiche editor: add rows to a formset without reloading, grey out rows marked for removal,
// and warn before leaving the page with unsaved input.
(function () {
  "use strict";

  document.querySelectorAll("[data-formset]").forEach(function (bloc) {
    var prefixe = bloc.dataset.formset;
    var total = bloc.querySelector('input[name="' + prefixe + '-TOTAL_FORMS"]');
    var modele = bloc.querySelector("template");
    var lignes = bloc.querySelector("[data-lignes]");

    bloc.querySelector("[data-ajouter]").addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      lignes.insertAdjacentHTML("beforeend", modele.innerHTML.replace(/__prefix__/g, index));
      total.value = index + 1;
      var premier = lignes.lastElementChild.querySelector(
        "input:not([type=hidden]):not([type=checkbox]), select, textarea"
      );
      if (premier) {
        premier.focus();
      }
    });

    lignes.addEventListener("change", function (evenement) {
      var cible = evenement.target;
      if (cible.name && cible.name.slice(-7) === "-DELETE") {
        cible.closest("[data-ligne]").classList.toggle("ligne-retiree", cible.checked);
      }
    });
  });

  var formulaire = document.querySelector("form[data-editeur]");
  if (!formulaire) {
    return;
  }
  var modifie = formulaire.dataset.modifie === "oui";
  formulaire.addEventListener("input", function () {
    modifie = true;
  });
  formulaire.addEventListener("submit", function () {
    modifie = false;
  });
  window.addEventListener("beforeunload", function (evenement) {
    if (modifie) {
      evenement.preventDefault();
      evenement.returnValue = "";
    }
  });
})();
