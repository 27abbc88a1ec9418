"""Evaluation pages: the projet's dashboard and exports, a fiche's results and bilans, and the
forms to record targets, results and bilans. Staff of the structure edit; a partner account
reads its own fiches' results on `resultats_fiche`; everything else answers 404."""

import functools

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from actions.concurrence import lire, signer
from actions.models import FicheAction, Indicateur
from centresocial.lib.nombres import format_nombre
from projets.acces import projet_modifiable
from projets.journal import noter_consultation

from . import exports
from .acces import (
    fiche_lisible,
    fiche_modifiable,
    fichier_bilan_modifiable,
    indicateur_modifiable,
    resultat_modifiable,
)
from .fichiers import nom_honnete, type_envoye
from .forms import (
    SEL_CIBLES,
    BilanForm,
    CiblesForm,
    ResultatForm,
    differences_cibles,
    etat_cibles,
)
from .graphiques import barres_comparees, barres_horizontales, graphique_indicateur
from .models import BilanAction, CibleAnnuelle, Resultat
from .tableau import suivis_du_projet, synthese_fiches

FORMATS = {"csv", "xlsx"}


# --- projet: dashboard and exports ---


def tableau_de_bord(request, pk):
    projet = projet_modifiable(request.user, pk)
    annees = projet.annees
    synthese = synthese_fiches(projet)
    suivis = suivis_du_projet(projet)
    # The page lists a few hundred indicators: one reverse() a fiche, and each figure formatted
    # once (the same targets come back year after year).
    urls = {}
    for suivi in suivis:
        if suivi.fiche_pk not in urls:
            urls[suivi.fiche_pk] = reverse("evaluation:fiche", args=[suivi.fiche_pk])
        suivi.url = urls[suivi.fiche_pk]
    formater = functools.lru_cache(maxsize=None, typed=True)(format_nombre)
    groupes = []
    for ligne in synthese["par_axe"]:
        axe = ligne["axe"]
        siens = [s for s in suivis if s.axe_id == axe.pk and s.quantitatif]
        if siens:
            groupes.append(
                {"axe": axe, "suivis": [avec_graphique(s, annees, formater) for s in siens]}
            )
    niveaux = dict(FicheAction.Participation.choices)
    context = {
        "projet": projet,
        "onglet": "evaluation",
        "annees": annees,
        "synthese": synthese,
        "statuts": FicheAction.Statut.labels,
        "graphique_statuts": barres_horizontales(
            "g-statuts", "Fiches par statut de réalisation", synthese["par_statut"]
        ),
        "graphique_axes": barres_horizontales(
            "g-axes",
            "Fiches par axe",
            [(ligne["axe"].libelle, ligne["total"]) for ligne in synthese["par_axe"]],
        ),
        "graphique_participation": barres_comparees(
            "g-participation",
            "Niveau moyen de participation des habitants par axe, actuel et visé",
            [
                (ligne["axe"].libelle, ligne["actuelle"], ligne["visee"])
                for ligne in synthese["par_axe"]
            ],
            maximum=len(niveaux),
            libelle_a="actuel",
            libelle_b="visé",
            echelle=lambda v: niveaux[round(v)],
        ),
        "groupes": groupes,
        "sans_resultat": [s for s in suivis if not s.a_des_resultats],
        "annees_bilans": sorted(
            set(BilanAction.objects.du_projet(projet).values_list("annee", flat=True))
        ),
    }
    return render(request, "evaluation/tableau_de_bord.html", context)


def avec_graphique(suivi, annees, formater):
    suivi.lignes = [
        {"annee": a, "valeur": suivi.valeur(a), "cible": suivi.cible(a)} for a in annees
    ]
    for ligne in suivi.lignes:
        ligne["valeur_texte"] = formater(ligne["valeur"])
        ligne["cible_texte"] = formater(ligne["cible"])
    suivi.graphique = graphique_indicateur(
        f"g-ind-{suivi.pk}",
        f"{suivi.fiche_code}. {suivi.libelle}",
        annees,
        {ligne["annee"]: ligne["valeur"] for ligne in suivi.lignes},
        {ligne["annee"]: ligne["cible"] for ligne in suivi.lignes},
        reference=suivi.reference,
        unite=suivi.unite,
    )
    return suivi


def export_indicateurs(request, pk, format):
    projet = projet_modifiable(request.user, pk)
    entetes, lignes = exports.tableau_indicateurs(projet)
    return reponse_export(format, f"indicateurs-{projet.pk}", "Indicateurs", entetes, lignes)


def export_bilans(request, pk, format):
    projet = projet_modifiable(request.user, pk)
    try:
        annee = int(request.GET.get("annee", ""))
    except ValueError:
        annee = None
    if annee not in projet.annees:
        raise Http404("Année hors de la période du projet.")
    entetes, lignes = exports.tableau_bilans(projet, annee)
    return reponse_export(format, f"bilans-{annee}-{projet.pk}", f"Bilans {annee}", entetes, lignes)


def reponse_export(format, nom, titre, entetes, lignes):
    if format not in FORMATS:
        raise Http404("Format d'export inconnu.")
    if format == "csv":
        contenu, type_mime = exports.en_csv(entetes, lignes), "text/csv; charset=utf-8"
    else:
        contenu, type_mime = exports.en_xlsx(titre, entetes, lignes), exports.TYPE_XLSX
    reponse = HttpResponse(contenu, content_type=type_mime)
    reponse["Content-Disposition"] = f'attachment; filename="{nom}.{format}"'
    return reponse


# --- fiche: its results and bilans ---


def indicateurs_de(fiche):
    """The fiche's indicators with targets and results, each result knowing its year's target."""
    indicateurs = list(
        Indicateur.objects.filter(fiche=fiche).prefetch_related(
            "cibles",
            Prefetch("resultats", queryset=Resultat.objects.order_by("annee", "semestre")),
        )
    )
    for indicateur in indicateurs:
        par_annee = {c.annee: c.valeur for c in indicateur.cibles.all()}
        indicateur.cibles_affichees = sorted(par_annee.items())
        for resultat in indicateur.resultats.all():
            resultat.indicateur = indicateur  # for affichage(), without a query
            resultat.cible_annee = par_annee.get(resultat.annee, indicateur.cible)
    return indicateurs


def fiche(request, pk):
    fiche = fiche_modifiable(request.user, pk)
    noter_consultation(request, fiche)
    bilans = {
        b.annee: b for b in BilanAction.objects.filter(fiche=fiche).prefetch_related("fichiers")
    }
    context = {
        "fiche": fiche,
        "projet": fiche.projet,
        "onglet": "evaluation",
        "indicateurs": indicateurs_de(fiche),
        "bilans": [(annee, bilans.get(annee)) for annee in fiche.projet.annees],
        "modifiable": True,
    }
    return render(request, "evaluation/fiche.html", context)


def resultats_fiche(request, pk):
    """Read-only: what a partner account (or any reader of the fiche) sees of its results."""
    fiche = fiche_lisible(request.user, pk)
    noter_consultation(request, fiche)
    context = {"fiche": fiche, "indicateurs": indicateurs_de(fiche), "modifiable": False}
    return render(request, "evaluation/resultats_fiche.html", context)


def page_formulaire(request, form, titre, fiche, retour, status=200, **extra):
    context = {
        "form": form,
        "titre": titre,
        "fiche": fiche,
        "projet": fiche.projet,
        "onglet": "evaluation",
        "retour": retour,
        **extra,
    }
    return render(request, "evaluation/formulaire.html", context, status=status)


def cibles(request, pk):
    indicateur = indicateur_modifiable(request.user, pk)
    if request.method != "POST":
        form = CiblesForm(indicateur=indicateur)
        return page_cibles(request, form, signer(etat_cibles(indicateur), SEL_CIBLES))

    with transaction.atomic():
        indicateur = verrouiller(indicateur)
        ouvert = lire(request.POST.get("etat"), SEL_CIBLES)
        actuel = etat_cibles(indicateur)
        form = CiblesForm(request.POST, indicateur=indicateur)
        if ouvert is None or ouvert["etat"] != actuel:
            form.is_valid()  # shows the user's own mistakes too, with their input
            conflit = {"differences": differences_cibles(ouvert and ouvert["etat"], actuel, form)}
            # The new token carries the current state: saving again applies the user's input.
            jeton = signer(actuel, SEL_CIBLES)
            return page_cibles(request, form, jeton, conflit=conflit, status=409)
        if form.is_valid():
            enregistrer_cibles(indicateur, form)
            messages.success(request, "Les cibles de l'indicateur sont enregistrées.")
            return redirect("evaluation:fiche", indicateur.fiche_id)
    return page_cibles(request, form, request.POST.get("etat"))


def verrouiller(indicateur):
    """The indicator read again under the lock of its fiche's row, then of its own.

    The fiche editor saves the same figures (baseline, target, « cible en clair ») under the
    fiche's lock: taking it first, in the editor's order, makes a save here and one there wait
    for each other, so the comparison always sees what the other wrote."""
    FicheAction.objects.select_for_update().only("pk").get(pk=indicateur.fiche_id)
    verrouille = Indicateur.objects.select_for_update().get(pk=indicateur.pk)
    verrouille.fiche = indicateur.fiche  # already read, with its projet
    return verrouille


def page_cibles(request, form, jeton, conflit=None, status=200):
    indicateur = form.indicateur
    return page_formulaire(
        request,
        form,
        f"Cibles · {indicateur.libelle}",
        indicateur.fiche,
        "evaluation:fiche",
        status=status,
        indicateur=indicateur,
        etat=jeton,
        conflit=conflit,
    )


def enregistrer_cibles(indicateur, form):
    with transaction.atomic():
        if "echelle" in form.cleaned_data:
            indicateur.echelle = form.cleaned_data["echelle"].strip()
            indicateur.save(update_fields=["echelle"])
            return
        indicateur.valeur_reference = form.cleaned_data["valeur_reference"]
        indicateur.cible = form.cleaned_data["cible"]
        indicateur.cible_precision = form.cleaned_data["cible_precision"]
        indicateur.save(update_fields=["valeur_reference", "cible", "cible_precision"])
        existantes = {c.annee: c for c in indicateur.cibles.all()}
        for annee, valeur in form.cibles_annuelles().items():
            cible = existantes.get(annee)
            if valeur is None and cible:
                cible.delete()
            elif valeur is not None and cible is None:
                CibleAnnuelle.objects.create(indicateur=indicateur, annee=annee, valeur=valeur)
            elif valeur is not None and cible.valeur != valeur:
                cible.valeur = valeur
                cible.save(update_fields=["valeur"])


def resultat_creer(request, pk):
    indicateur = indicateur_modifiable(request.user, pk)
    return formulaire_resultat(request, indicateur, Resultat(indicateur=indicateur))


def resultat_modifier(request, pk):
    resultat = resultat_modifiable(request.user, pk)
    return formulaire_resultat(request, resultat.indicateur, resultat)


def formulaire_resultat(request, indicateur, resultat):
    form = ResultatForm(
        request.POST or None, request.FILES or None, instance=resultat, indicateur=indicateur
    )
    if request.method == "POST" and form.is_valid():
        form.instance.saisi_par = request.user
        form.save()
        messages.success(request, f"Le résultat {form.instance.periode} est enregistré.")
        return redirect("evaluation:fiche", indicateur.fiche_id)
    titre = "Modifier un résultat" if resultat.pk else "Nouveau résultat"
    return page_formulaire(
        request,
        form,
        f"{titre} · {indicateur.libelle}",
        indicateur.fiche,
        "evaluation:fiche",
        indicateur=indicateur,
        fichiers=True,
    )


def resultat_supprimer(request, pk):
    resultat = resultat_modifiable(request.user, pk)
    fiche = resultat.indicateur.fiche
    if request.method == "POST":
        resultat.delete()
        messages.success(request, "Le résultat est supprimé.")
        return redirect("evaluation:fiche", fiche.pk)
    context = {"resultat": resultat, "fiche": fiche, "projet": fiche.projet, "onglet": "evaluation"}
    return render(request, "evaluation/supprimer.html", context)


def justificatif(request, pk):
    resultat = resultat_modifiable(request.user, pk)
    if not resultat.justificatif:
        raise Http404("Ce résultat n'a pas de justificatif.")
    return telecharger(resultat.justificatif, resultat.type_mime)


def bilan(request, pk, annee):
    fiche = fiche_modifiable(request.user, pk)
    noter_consultation(request, fiche)
    if annee not in fiche.projet.annees:
        raise Http404("Année hors de la période du projet.")
    existant = BilanAction.objects.filter(fiche=fiche, annee=annee).first()
    instance = existant or BilanAction.prerempli(fiche, annee)
    form = BilanForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.saisi_par = request.user
            form.save()
        messages.success(request, f"Le bilan {annee} est enregistré.")
        return redirect("evaluation:fiche", fiche.pk)
    return page_formulaire(
        request,
        form,
        f"Bilan {annee}",
        fiche,
        "evaluation:fiche",
        fichiers=True,
        bilan=existant,
        prerempli=existant is None,
    )


def fichier_bilan(request, pk):
    fichier = fichier_bilan_modifiable(request.user, pk)
    return telecharger(fichier.fichier, fichier.type_mime)


@require_POST
def fichier_bilan_supprimer(request, pk):
    fichier = fichier_bilan_modifiable(request.user, pk)
    bilan = fichier.bilan
    with transaction.atomic():
        fichier.delete()
    fichier.fichier.delete(save=False)
    messages.success(request, "Le fichier est retiré du bilan.")
    return redirect("evaluation:bilan", bilan.fiche_id, bilan.annee)


def telecharger(champ, type_mime):
    """Serve a stored file as an attachment, with the type decided at upload (the file is never
    read to choose a header) and a name that agrees with that type."""
    type_mime = type_envoye(type_mime)
    try:
        fichier = champ.open("rb")
    except FileNotFoundError:
        raise Http404("Fichier introuvable.") from None
    reponse = FileResponse(
        fichier,
        as_attachment=True,
        filename=nom_honnete(champ.name, type_mime),
        content_type=type_mime,
    )
    reponse["X-Content-Type-Options"] = "nosniff"
    return reponse
