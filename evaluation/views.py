"""Evaluation pages: the projet's dashboard and exports, a fiche's results and bilans, and the
forms to record targets, results and bilans. Staff of the structure edit; a partner account
reads its own fiches' results on `resultats_fiche`; everything else answers 404."""

import functools

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from actions.concurrence import lire, signer
from actions.models import FicheAction, Indicateur
from actions.renouvellement import RenouvellementForm
from centresocial.lib.formulaires import rendu_rapide
from centresocial.lib.nombres import format_nombre
from projets.acces import projet_modifiable, projet_pilotable
from projets.journal import noter_consultation
from projets.models import ObjectifGeneral

from . import exports
from .acces import (
    fiche_lisible,
    fiche_modifiable,
    fichier_bilan_modifiable,
    indicateur_modifiable,
    resultat_modifiable,
)
from .fichiers import nom_honnete, type_envoye
from .filters import FiltresTableau
from .forms import (
    SEL_CIBLES,
    BilanForm,
    CiblesForm,
    ResultatForm,
    differences_cibles,
    etat_cibles,
)
from .graphiques import barres_horizontales, graphique_indicateur, repartition
from .models import BilanAction, CibleAnnuelle, Resultat
from .renouvellement import renouveler_depuis_l_evaluation
from .tableau import Avancement, dresser_tableau, lire_evaluation
from .ventilation import enregistrer_ventilation, joindre_repartitions, synchroniser_par_annee

FORMATS = {"csv", "xlsx"}


# --- projet: dashboard and exports ---


# The dashboard details this many fiches a page; the summary above counts them all.
FICHES_PAR_PAGE = 10
CLASSES_AVANCEMENT = {
    Avancement.EN_BONNE_VOIE: "eval-part-ok",
    Avancement.EN_RETARD: "eval-part-retard",
    Avancement.SANS_DONNEE: "eval-part-sans",
    Avancement.SANS_CIBLE: "eval-part-sans-cible",
}


def tableau_de_bord(request, pk):
    """A summary per axe for one year first (indicators on track, fiches by statut,
    participation), the year's bilans, then the fiches' details, paginated; filters in the URL."""
    projet = projet_modifiable(request.user, pk)
    lecture = lire_evaluation(projet)
    donnees = request.GET.copy()
    if donnees.get("annee") not in {str(a) for a in projet.annees}:
        donnees["annee"] = str(lecture.annee_par_defaut(projet))
    annee = int(donnees["annee"])
    filtre = FiltresTableau(donnees, queryset=FicheAction.objects.du_projet(projet), projet=projet)
    rendu_rapide(filtre.form)
    tableau = dresser_tableau(projet, filtre.qs, lecture, annee)
    page = Paginator(tableau.fiches, FICHES_PAR_PAGE).get_page(request.GET.get("page"))
    # Each figure formatted once (the same targets come back year after year).
    formater = functools.lru_cache(maxsize=None, typed=True)(format_nombre)
    for fiche in page.object_list:
        fiche["statut_libelle"] = FicheAction.Statut(fiche["statut"]).label
        fiche["mesures"] = [s for s in fiche["suivis"] if s.a_des_mesures]
        fiche["sans_resultat"] = [s for s in fiche["suivis"] if not s.a_des_mesures]
        for suivi in fiche["mesures"]:
            suivi.avancement_annee = suivi.avancement(annee)
            avec_graphique(suivi, projet.annees, formater)
            suivi.valeur_annee = next(
                ligne["valeur_texte"] for ligne in suivi.lignes if ligne["annee"] == annee
            )
    for synthese in [tableau.ensemble, *tableau.axes]:
        ident = f"g-av-{synthese.axe.pk if synthese.axe else 'tout'}"
        synthese.graphique = repartition(
            ident,
            f"Indicateurs en {annee}"
            + (f", {synthese.axe.libelle}" if synthese.axe else ", ensemble du projet"),
            [(a.label, n, CLASSES_AVANCEMENT[a]) for a, n in synthese.avancements],
        )
    bilans = tableau.bilans
    graphiques_bilans = [
        (
            titre,
            lignes and barres_horizontales(f"g-bilans-{ident}", f"{titre}, bilans {annee}", lignes),
        )
        for ident, titre, lignes in [
            ("mots", "Mots clés", bilans.par_mot_cle),
            ("public", "Public", bilans.par_public),
            ("initiative", "Qui est à l'initiative", bilans.par_initiative),
        ]
    ]
    context = {
        "projet": projet,
        "onglet": "evaluation",
        "annee": annee,
        "filtre": filtre,
        "filtre_actif": any(
            filtre.form.cleaned_data.get(nom) not in (None, "")
            for nom in ("axe", "enjeu", "projet_familles", "projet_jeunesse")
        ),
        "tableau": tableau,
        "page": page,
        "graphiques_bilans": graphiques_bilans,
        "annees_bilans": lecture.annees_bilans,
    }
    return render(request, "evaluation/tableau_de_bord.html", context)


def avec_graphique(suivi, annees, formater):
    """The year rows of a measured indicator; a chart when it is quantitative."""
    suivi.lignes = [
        {"annee": a, "valeur": suivi.valeur(a), "cible": suivi.cible(a)} for a in annees
    ]
    for ligne in suivi.lignes:
        valeur = ligne["valeur"]
        if suivi.quantitatif or valeur is None:
            ligne["valeur_texte"] = formater(valeur)
        else:
            ligne["valeur_texte"] = f"{valeur} – {suivi.niveaux.get(valeur, '?')}"
        ligne["cible_texte"] = formater(ligne["cible"]) if suivi.quantitatif else ""
    if suivi.quantitatif:
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
    joindre_repartitions(indicateurs)
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
            if form.categories_par_defaut:
                messages.success(
                    request,
                    "Les cibles sont enregistrées et les catégories de la ventilation créées : "
                    "ajustez-les et saisissez leurs cibles si vous en avez.",
                )
                return redirect(reverse("evaluation:cibles", args=[indicateur.pk]) + "#ventilation")
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
        synchroniser_par_annee(
            {c.annee: c for c in indicateur.cibles.all()},
            form.cibles_annuelles(),
            functools.partial(CibleAnnuelle.objects.create, indicateur=indicateur),
        )
        enregistrer_ventilation(
            indicateur,
            form.cleaned_data["ventilation"],
            form.cleaned_data["additive"],
            form.lignes_ventilation,
        )


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


# --- renewal: the next projet starts from this one and from its evaluation ---


def renouveler(request, pk):
    projet = projet_pilotable(request.user, pk)
    form = RenouvellementForm(request.POST or None, ancien=projet)
    if request.method == "POST" and form.is_valid():
        nouveau = renouveler_depuis_l_evaluation(projet, **form.cleaned_data)
        messages.success(
            request,
            f"Le projet social {nouveau.periode} a été créé à partir de {projet.periode}. "
            "Il est en brouillon : relisez-le et mettez-le à jour, en commençant par "
            "l'évaluation du projet précédent rédigée à partir des bilans et des résultats.",
        )
        return redirect("actions:projet", nouveau.pk)
    contexte = {
        "projet": projet,
        "form": form,
        "copie": [
            ("axes", projet.axes.count()),
            ("enjeux", projet.enjeux.count()),
            ("objectifs généraux", ObjectifGeneral.objects.filter(axe__projet=projet).count()),
            ("fiches actions", projet.fiches.count()),
            ("sections", projet.sections.count()),
            ("instances de gouvernance", projet.instances.count()),
            ("sigles", projet.sigles.count()),
        ],
        "evaluation": [
            ("bilans annuels", BilanAction.objects.du_projet(projet).count()),
            ("résultats d'indicateurs", Resultat.objects.du_projet(projet).count()),
        ],
    }
    return render(request, "projets/cycle/renouveler.html", contexte)
