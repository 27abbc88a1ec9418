// The targets page's breakdown (templates/evaluation/_cibles_ventilees.html): choosing « par
// sexe », « par tranche d'âge » or « QPV / hors QPV » while no category is named yet fills the
// names with the usual categories, which the user then edits. Without JavaScript the server
// creates the same categories when the page is saved with none named.
(function () {
  "use strict";

  var choix = document.getElementById("id_ventilation");
  var tableau = document.querySelector("[data-categories-par-defaut]");
  if (!choix || !tableau) {
    return;
  }
  var parDefaut = JSON.parse(tableau.dataset.categoriesParDefaut);
  var noms = tableau.querySelectorAll(".ventilation-libelle input[type=text]");

  choix.addEventListener("change", function () {
    var categories = parDefaut[choix.value] || [];
    var vides = Array.prototype.every.call(noms, function (champ) {
      return champ.value.trim() === "";
    });
    if (!vides) {
      return;
    }
    categories.slice(0, noms.length).forEach(function (nom, i) {
      noms[i].value = nom;
    });
  });
})();
