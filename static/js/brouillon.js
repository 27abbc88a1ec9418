// Unsaved draft of the fiche editor, kept in this browser's localStorage until a save succeeds:
// whatever makes a save fail (error page, lost network, server restarted), the user coming back
// to the editor is offered their input back. One draft per user and fiche.
(function () {
  "use strict";

  var MOIS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
  ];
  var DELAI_MS = 400;

  function cle(element) {
    return (
      "centresocial.brouillon." +
      element.dataset.brouillonUtilisateur +
      "." +
      element.dataset.brouillonFiche
    );
  }

  // localStorage may be full or refused (private browsing): the editor works without drafts.
  function lireStockage(nom) {
    try {
      return JSON.parse(window.localStorage.getItem(nom));
    } catch (erreur) {
      return null;
    }
  }

  function ecrireStockage(nom, valeur) {
    try {
      window.localStorage.setItem(nom, JSON.stringify(valeur));
    } catch (erreur) {
      // Nothing to do: the page itself still holds the input.
    }
  }

  function effacer(nom) {
    try {
      window.localStorage.removeItem(nom);
    } catch (erreur) {
      // Same as above.
    }
  }

  // After a successful save the fiche page carries this marker: the draft has been saved.
  var enregistre = document.querySelector("[data-brouillon-enregistre]");
  if (enregistre) {
    effacer(cle(enregistre));
  }

  var formulaire = document.querySelector("form[data-editeur][data-brouillon-fiche]");
  if (!formulaire) {
    return;
  }
  var nom = cle(formulaire);
  var jeton = formulaire.querySelector('input[name="etat"]');

  // Every field the user types into; hidden inputs (CSRF, token, row ids, formset counts) are
  // the page's own, except the row counts, kept apart to recreate the rows added by the user.
  function gardable(champ) {
    return (
      champ.name &&
      ["hidden", "file", "submit", "button", "reset", "image"].indexOf(champ.type) === -1 &&
      champ.tagName !== "BUTTON" &&
      champ.tagName !== "FIELDSET"
    );
  }

  function valeurs(champ) {
    if (champ.type === "checkbox" || champ.type === "radio") {
      return champ.checked ? [champ.value] : [];
    }
    if (champ.tagName === "SELECT") {
      return Array.prototype.filter
        .call(champ.options, function (option) {
          return option.selected;
        })
        .map(function (option) {
          return option.value;
        });
    }
    return [champ.value];
  }

  function saisie() {
    var champs = {};
    Array.prototype.forEach.call(formulaire.elements, function (champ) {
      if (gardable(champ)) {
        champs[champ.name] = (champs[champ.name] || []).concat(valeurs(champ));
      }
    });
    var lignes = {};
    formulaire.querySelectorAll("[data-formset]").forEach(function (bloc) {
      var total = bloc.querySelector('input[name="' + bloc.dataset.formset + '-TOTAL_FORMS"]');
      lignes[bloc.dataset.formset] = parseInt(total.value, 10);
    });
    return { champs: champs, lignes: lignes };
  }

  function pareil(a, b) {
    var noms = Object.keys(a.champs).concat(Object.keys(b.champs));
    var lignes = Object.keys(a.lignes).concat(Object.keys(b.lignes));
    return (
      noms.every(function (n) {
        return JSON.stringify(a.champs[n] || []) === JSON.stringify(b.champs[n] || []);
      }) &&
      lignes.every(function (n) {
        return a.lignes[n] === b.lignes[n];
      })
    );
  }

  var attente = null;
  var tape = false; // typed on this page since it was loaded
  function garder() {
    window.clearTimeout(attente);
    attente = null;
    var brouillon = saisie();
    brouillon.enregistre_le = new Date().toISOString();
    // The token the input was written against: taken back with the draft, a save over changes
    // made since by someone else is refused and shown (409), never applied silently.
    brouillon.etat = jeton ? jeton.value : "";
    ecrireStockage(nom, brouillon);
  }

  function plusTard() {
    tape = true;
    window.clearTimeout(attente);
    attente = window.setTimeout(garder, DELAI_MS);
  }

  function appliquer(brouillon) {
    formulaire.querySelectorAll("[data-formset]").forEach(function (bloc) {
      var total = bloc.querySelector('input[name="' + bloc.dataset.formset + '-TOTAL_FORMS"]');
      var voulu = brouillon.lignes[bloc.dataset.formset] || 0;
      var ajouter = bloc.querySelector("[data-ajouter]");
      while (parseInt(total.value, 10) < voulu) {
        ajouter.click();
      }
    });
    Array.prototype.forEach.call(formulaire.elements, function (champ) {
      if (!gardable(champ) || !Object.prototype.hasOwnProperty.call(brouillon.champs, champ.name)) {
        return;
      }
      var voulues = brouillon.champs[champ.name];
      if (champ.type === "checkbox" || champ.type === "radio") {
        champ.checked = voulues.indexOf(champ.value) !== -1;
      } else if (champ.tagName === "SELECT") {
        Array.prototype.forEach.call(champ.options, function (option) {
          option.selected = voulues.indexOf(option.value) !== -1;
        });
      } else {
        champ.value = voulues[0] || "";
      }
      // The editor greys out rows marked for removal on "change".
      champ.dispatchEvent(new Event("change", { bubbles: true }));
    });
    if (jeton && brouillon.etat) {
      jeton.value = brouillon.etat;
    }
    // The editor then warns before leaving the page, as for typed input.
    formulaire.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function quand(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) {
      return "";
    }
    var jour = date.getDate() === 1 ? "1er" : String(date.getDate());
    var annee = date.getFullYear() === new Date().getFullYear() ? "" : " " + date.getFullYear();
    var minutes = String(date.getMinutes()).padStart(2, "0");
    return (
      " (le " + jour + " " + MOIS[date.getMonth()] + annee + " à " + date.getHours() + " h " +
      minutes + ")"
    );
  }

  function proposer(brouillon) {
    var banniere = document.querySelector("[data-brouillon-banniere]");
    if (!banniere) {
      return;
    }
    banniere.querySelector("[data-brouillon-quand]").textContent = quand(brouillon.enregistre_le);
    banniere.hidden = false;
    banniere.querySelector("[data-brouillon-reprendre]").addEventListener("click", function () {
      appliquer(brouillon);
      garder();
      banniere.querySelector("[data-brouillon-question]").hidden = true;
      var fait = banniere.querySelector("[data-brouillon-repris]");
      fait.hidden = false;
      fait.focus();
    });
    banniere.querySelector("[data-brouillon-ecarter]").addEventListener("click", function () {
      // What was typed here since the page opened becomes the draft, in place of the old one.
      if (tape) {
        garder();
      } else {
        effacer(nom);
      }
      banniere.hidden = true;
      var titre = document.querySelector("h1");
      titre.setAttribute("tabindex", "-1");
      titre.focus();
    });
  }

  // A page shown again with the user's input (errors to correct, a conflict) already holds it:
  // nothing to offer, but the draft stays until a save succeeds.
  if (formulaire.dataset.modifie !== "oui") {
    var brouillon = lireStockage(nom);
    if (brouillon && brouillon.champs && brouillon.lignes) {
      if (pareil(brouillon, saisie())) {
        effacer(nom);
      } else {
        proposer(brouillon);
      }
    }
  }

  formulaire.addEventListener("input", plusTard);
  formulaire.addEventListener("change", plusTard);
  formulaire.addEventListener("click", function (evenement) {
    if (evenement.target.closest("[data-ajouter]")) {
      plusTard();
    }
  });
  // Kept at once when the page goes: the last keystrokes must not wait for the delay.
  formulaire.addEventListener("submit", garder);
  window.addEventListener("pagehide", function () {
    if (attente !== null) {
      garder();
    }
  });
})();
