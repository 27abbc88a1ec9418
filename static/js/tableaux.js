// A table (.table-responsive) or a chart (.defile-horizontal) wider than its box, on a phone,
// scrolls inside it. The box then says so: a line above it (« Faites défiler le tableau de côté
// pour le voir en entier »), shadows on its sides (static/css/app.css); it takes the keyboard
// focus, so that the arrow keys scroll it, and is named for screen readers (« Tableau : Bilans
// annuels de la fiche, défile horizontalement »). Checked again whenever its width changes.
(function () {
  "use strict";

  function sorte(boite) {
    return boite.querySelector("table") ? "tableau" : "graphique";
  }

  function nom(boite) {
    var tableau = boite.querySelector("table");
    var texte = "";
    if (tableau) {
      var legende = tableau.querySelector("caption");
      var titre = document.getElementById(tableau.getAttribute("aria-labelledby") || "");
      texte = legende ? legende.textContent : tableau.getAttribute("aria-label") || (titre && titre.textContent);
    } else {
      var titreSvg = boite.querySelector("svg title");
      texte = titreSvg && titreSvg.textContent;
    }
    texte = (texte || "").replace(/\s+/g, " ").trim();
    return (tableau ? "Tableau" : "Graphique") + (texte ? " : " + texte : "") + ", défile horizontalement";
  }

  function aide(boite) {
    var ligne = boite.previousElementSibling;
    if (!ligne || !ligne.classList.contains("aide-defilement")) {
      ligne = document.createElement("p");
      ligne.className = "aide-defilement";
      ligne.setAttribute("aria-hidden", "true"); // the box's name says it to screen readers
      ligne.textContent = "↔ Faites défiler le " + sorte(boite) + " de côté pour le voir en entier.";
      boite.insertAdjacentElement("beforebegin", ligne);
    }
    return ligne;
  }

  function verifier(boite) {
    var deborde = boite.scrollWidth > boite.clientWidth + 1;
    if (deborde === boite.classList.contains("defile")) {
      return;
    }
    boite.classList.toggle("defile", deborde);
    aide(boite).classList.toggle("visible", deborde);
    if (deborde && !boite.hasAttribute("tabindex")) {
      boite.setAttribute("tabindex", "0");
      boite.setAttribute("role", "region");
      boite.setAttribute("aria-label", nom(boite));
      boite.dataset.defileAjoute = "oui";
    } else if (!deborde && boite.dataset.defileAjoute) {
      boite.removeAttribute("tabindex");
      boite.removeAttribute("role");
      boite.removeAttribute("aria-label");
      delete boite.dataset.defileAjoute;
    }
  }

  var boites = document.querySelectorAll(".table-responsive, .defile-horizontal");
  if (!boites.length || !window.ResizeObserver) {
    return;
  }
  var observateur = new ResizeObserver(function (entrees) {
    entrees.forEach(function (entree) {
      verifier(entree.target);
    });
  });
  boites.forEach(function (boite) {
    verifier(boite);
    observateur.observe(boite);
  });
})();
