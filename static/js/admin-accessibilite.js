// The Django admin's fields all named for a screen reader (WCAG 1.3.1 and 4.1.2, the RGAA; issue
// 18), where Django's own scripts and widgets leave them without one. Loaded on every admin page by
// templates/admin/base_site.html; checked by tests/navigateur/test_accessibilite.py.
//
// - The autocomplete boxes (Select2, autocomplete_fields): their combobox is named by the field's
//   label, then by what it shows (Select2 names it, and the read-only textbox inside it, by what
//   it shows alone: nothing when it is empty).
// - The two-list pickers (filter_horizontal, SelectFilter2.js): the help icon in their labels has
//   an aria-label without a role, which ARIA forbids on a span: it becomes an image.
// - Date and time of one field (SplitDateTime): « Date : » and « Heure : » are bare text before
//   their inputs; they become the inputs' labels, with the field's own label before them.
// - A field in a table without a label (list_editable in a list, a third-party inline): named by
//   its column's header and the row's first header cell.
//
// Django's scripts make these at load time (SelectFilter2 on `load`, Select2 on jQuery's ready)
// or later (a row added to an inline): a MutationObserver names whatever appears, and every change
// here is made once, so what it adds does not start it again.
(function () {
  "use strict";

  var suite = 0;

  function identifiant(element, suffixe) {
    if (!element.id) {
      suite += 1;
      element.id = "a11y-" + suffixe + "-" + suite;
    }
    return element.id;
  }

  function aUnNom(champ) {
    return (
      (champ.labels && champ.labels.length > 0) ||
      champ.hasAttribute("aria-label") ||
      champ.hasAttribute("aria-labelledby") ||
      champ.hasAttribute("title")
    );
  }

  function etiquetteDe(champ) {
    if (!champ || !champ.id) {
      return null;
    }
    return document.querySelector('label[for="' + CSS.escape(champ.id) + '"]');
  }

  // Select2 puts its box right after the <select> it replaces.
  function nommerSelect2(racine) {
    racine.querySelectorAll(".select2-container .select2-selection").forEach(function (boite) {
      if (boite.dataset.a11yNomme) {
        return;
      }
      var conteneur = boite.closest(".select2-container");
      var select = conteneur.previousElementSibling;
      var etiquette = select && select.tagName === "SELECT" ? etiquetteDe(select) : null;
      if (!etiquette) {
        return;
      }
      boite.dataset.a11yNomme = "oui";
      var nom = identifiant(etiquette, "etiquette");
      var actuel = boite.getAttribute("aria-labelledby");
      boite.setAttribute("aria-labelledby", actuel ? nom + " " + actuel : nom);
      // What it shows is a read-only textbox of its own (role=textbox): named by the label too.
      boite.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach(function (valeur) {
        valeur.setAttribute("aria-labelledby", nom);
      });
      // A multiple choice is typed into its inline search field.
      boite.querySelectorAll(".select2-search__field").forEach(function (recherche) {
        if (!recherche.hasAttribute("aria-label")) {
          recherche.setAttribute("aria-labelledby", nom);
        }
      });
    });
  }

  function iconesDesSelecteurs(racine) {
    racine.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icone) {
      icone.setAttribute("role", "img");
    });
  }

  // <p class="datetime">Date : <input …><span class="datetimeshortcuts">…</span><br>Heure : <input …>…</p>
  function nommerDateEtHeure(racine) {
    racine.querySelectorAll("p.datetime input").forEach(function (champ) {
      if (aUnNom(champ)) {
        return;
      }
      var texte = champ.previousSibling;
      while (texte && texte.nodeType === Node.TEXT_NODE && !texte.textContent.trim()) {
        texte = texte.previousSibling;
      }
      var noms = [];
      var ligne = champ.closest(".flex-container, td");
      var duChamp = ligne && ligne.querySelector("label:not([for])");
      if (duChamp) {
        noms.push(identifiant(duChamp, "etiquette"));
      }
      if (texte && texte.nodeType === Node.TEXT_NODE) {
        var etiquette = document.createElement("label");
        etiquette.htmlFor = identifiant(champ, "champ");
        texte.replaceWith(etiquette);
        etiquette.append(texte);
        noms.push(identifiant(etiquette, "etiquette"));
      }
      if (noms.length > 0) {
        champ.setAttribute("aria-labelledby", noms.join(" "));
      }
    });
  }

  function nommerParLesEntetes(racine) {
    var selecteur = "table tbody :is(input, select, textarea):not([type=hidden], .select2-hidden-accessible)";
    racine.querySelectorAll(selecteur).forEach(function (champ) {
      if (aUnNom(champ)) {
        return;
      }
      var cellule = champ.closest("td, th");
      var table = champ.closest("table");
      var entete = table.tHead && table.tHead.rows[0] && table.tHead.rows[0].cells[cellule.cellIndex];
      if (!entete || !entete.textContent.trim()) {
        return;
      }
      var noms = [identifiant(entete.querySelector(".text") || entete, "colonne")];
      var ligne = cellule.parentElement.querySelector("th");
      if (ligne && ligne !== cellule && ligne.textContent.trim()) {
        noms.push(identifiant(ligne, "ligne"));
      }
      champ.setAttribute("aria-labelledby", noms.join(" "));
    });
  }

  function soigner() {
    nommerSelect2(document);
    iconesDesSelecteurs(document);
    nommerDateEtHeure(document);
    nommerParLesEntetes(document);
  }

  soigner();
  new MutationObserver(soigner).observe(document.body, { childList: true, subtree: true });
  window.addEventListener("load", soigner);
})();
