// « Contenu du projet »: a link to a year of the budget, or to one of its lines (as after an
// edit), opens that year's tab.
(function () {
  function ouvrirOnglet() {
    var cible = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var volet = cible && cible.closest(".tab-pane");
    if (!volet) return;
    var bouton = document.querySelector('[data-bs-target="#' + volet.id + '"]');
    if (!bouton) return;
    bootstrap.Tab.getOrCreateInstance(bouton).show();
    // For a whole year, show its tab too; for a line, the line itself.
    (cible === volet ? bouton.closest("[role=tablist]") : cible).scrollIntoView();
  }
  ouvrirOnglet();
  window.addEventListener("hashchange", ouvrirOnglet);
})();
