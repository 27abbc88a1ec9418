// Fiche editor: create a partner missing from the directory without leaving the page. The new
// partner is offered in every partenariat row (and in rows added later), and chosen in an empty
// row, or a new one. Errors are shown next to the fields; nothing typed in the fiche is touched.
(function () {
  "use strict";

  var bloc = document.querySelector("[data-nouveau-partenaire]");
  if (!bloc) {
    return;
  }
  var formset = bloc.closest("[data-formset]");
  var formulaire = bloc.closest("form");
  var annonce = bloc.querySelector("[data-annonce]");
  var bouton = bloc.querySelector("[data-creer-partenaire]");

  function champ(nom) {
    return bloc.querySelector('[data-champ="' + nom + '"]');
  }

  function effacerErreurs() {
    bloc.querySelectorAll(".invalid-feedback").forEach(function (e) {
      e.remove();
    });
    bloc.querySelectorAll(".is-invalid").forEach(function (e) {
      e.classList.remove("is-invalid");
      e.removeAttribute("aria-invalid");
    });
  }

  function montrerErreur(nom, messages) {
    var cible = champ(nom) || champ("nom");
    var erreur = document.createElement("div");
    erreur.className = "invalid-feedback";
    erreur.id = cible.id + "_erreur";
    erreur.textContent = messages.join(" ");
    cible.classList.add("is-invalid");
    cible.setAttribute("aria-invalid", "true");
    cible.setAttribute("aria-describedby", erreur.id);
    cible.insertAdjacentElement("afterend", erreur);
  }

  function selecteurs() {
    return formset.querySelectorAll('[data-lignes] select[name$="-partenaire"]');
  }

  function offrir(id, libelle) {
    // In the rows on the page and in the template of rows to come.
    var modele = formset.querySelector("template");
    var listes = Array.prototype.slice.call(selecteurs());
    listes = listes.concat(Array.prototype.slice.call(modele.content.querySelectorAll("select")));
    listes.forEach(function (liste) {
      var option = document.createElement("option");
      option.value = String(id);
      option.textContent = libelle;
      liste.appendChild(option);
    });
    var vides = Array.prototype.filter.call(selecteurs(), function (liste) {
      return !liste.value && !liste.closest(".ligne-retiree");
    });
    var liste = vides[0];
    if (!liste) {
      formset.querySelector("[data-ajouter]").click();
      var toutes = selecteurs();
      liste = toutes[toutes.length - 1];
    }
    liste.value = String(id);
    liste.dispatchEvent(new Event("change", { bubbles: true }));
    liste.dispatchEvent(new Event("input", { bubbles: true }));
    return liste;
  }

  bouton.addEventListener("click", function () {
    effacerErreurs();
    var donnees = new FormData();
    donnees.append("csrfmiddlewaretoken", formulaire.querySelector("[name=csrfmiddlewaretoken]").value);
    ["nom", "sigle", "type"].forEach(function (nom) {
      donnees.append(nom, champ(nom).value);
    });
    bouton.disabled = true;
    annonce.textContent = "Création du partenaire…";
    fetch(bloc.dataset.nouveauPartenaire, {
      method: "POST",
      body: donnees,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (reponse) {
        return reponse.json().then(function (corps) {
          return { ok: reponse.ok, corps: corps };
        });
      })
      .then(function (resultat) {
        if (!resultat.ok) {
          Object.keys(resultat.corps.erreurs || {}).forEach(function (nom) {
            montrerErreur(nom, resultat.corps.erreurs[nom]);
          });
          annonce.textContent = "Le partenaire n'a pas été créé : corrigez le champ signalé.";
          (bloc.querySelector(".is-invalid") || champ("nom")).focus();
          return;
        }
        var liste = offrir(resultat.corps.id, resultat.corps.libelle);
        annonce.textContent =
          "« " + resultat.corps.libelle + " » a rejoint l'annuaire et une ligne de partenariat de cette fiche.";
        champ("nom").value = "";
        champ("sigle").value = "";
        liste.focus();
      })
      .catch(function () {
        annonce.textContent =
          "Le partenaire n'a pas pu être créé (connexion interrompue ?) : réessayez. La fiche n'est pas touchée.";
      })
      .finally(function () {
        bouton.disabled = false;
      });
  });

  // Enter in one of these fields creates the partner, and never submits the whole fiche.
  bloc.addEventListener("keydown", function (evenement) {
    if (evenement.key === "Enter" && evenement.target.matches("input[data-champ]")) {
      evenement.preventDefault();
      bouton.click();
    }
  });
})();
