"""`make bench`: what the fast field renderer (centresocial/lib/formulaires.py: RenduRapide,
ChampBootstrap) saves against crispy-forms' bootstrap5 templates and Django's widget templates,
which give the same HTML (tests/actions/test_rendu.py).

Measured on the demo's largest fiche, in a throw-away SQLite base (like bench/evaluation.py):
its editor's fields (no query: their choices are read beforehand), the fiches list's filter
form (with the five queries of its choices, either way), then the whole editor page and list
page through Django's test client. The two ways take turns, in alternating order, and each
figure is a median.
"""

import gc
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path
from unittest import mock

from bench.dossier import preparer_django

REPETITIONS = 31  # renders of the fields, each way
REPETITIONS_PAGE = 15  # GETs of a whole page, each way


@contextmanager
def par_les_templates():
    """The fields as the pages rendered them before the fast renderer: `champ|as_crispy_field`,
    widgets through Django's templates (settings.FORM_RENDERER)."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    from centresocial.lib.formulaires import ChampBootstrap, Rendu, RenduRapide

    with (
        mock.patch.object(RenduRapide, "render", Rendu.render),
        mock.patch.object(ChampBootstrap, "as_field_group", as_crispy_field),
    ):
        yield


MANIERES = {"rapide": nullcontext, "gabarits": par_les_templates}


def champs_de_l_editeur(editeur):
    """The fields templates/actions/modifier.html and _ligne.html render through the form (a
    row's « Retirer » checkbox is written by hand)."""
    champs = list(editeur.form)
    for _, _, fs in editeur.formsets:
        for formulaire in [*fs.forms, fs.empty_form]:
            champs += [champ for champ in formulaire if champ.name != "DELETE"]
    return champs


def editeur_pret(fiche):
    """A fresh editor of the fiche with its shared choices already read, so that rendering it
    runs no query."""
    from actions.forms import Editeur

    editeur = Editeur(fiche)
    champs = champs_de_l_editeur(editeur)
    for champ in champs:
        if hasattr(champ.field, "choix_lus"):
            champ.field.choix_lus.objets  # noqa: B018 (read once, kept)
    return champs


def filtre_de_la_liste(projet):
    """The list's filter form as its view builds it on a first visit (bound to an empty GET)."""
    from django.http import QueryDict

    from actions.filters import FicheActionFilter
    from actions.models import FicheAction
    from centresocial.lib.formulaires import rendu_rapide

    filtre = FicheActionFilter(
        QueryDict(), queryset=FicheAction.objects.du_projet(projet), projet=projet
    )
    return list(rendu_rapide(filtre.form))


def rendre(champs):
    return "".join(str(c) if c.is_hidden else str(c.as_field_group()) for c in champs)


def plus_grande_fiche():
    """The demo's fiche whose editor has the most fields."""
    from actions.models import FicheAction

    fiches = FicheAction.objects.select_related("projet__structure", "axe")
    return max(fiches, key=lambda fiche: len(editeur_pret(fiche)))


def chronometrer(mesure, repetitions):
    """Median of `mesure()` (ms) each way, the two taking turns in alternating order (so that
    neither always runs first, just after the other has warmed the caches)."""
    durees = {maniere: [] for maniere in MANIERES}
    for contexte in MANIERES.values():  # warm-up: templates compiled, imports
        with contexte():
            mesure()
    for tour in range(repetitions):
        ordre = list(MANIERES.items())
        for maniere, contexte in ordre if tour % 2 == 0 else reversed(ordre):
            with contexte():
                gc.collect()
                durees[maniere].append(mesure())
    return {maniere: statistics.median(liste) for maniere, liste in durees.items()}


def temps(fonction):
    debut = time.perf_counter()
    resultat = fonction()
    return (time.perf_counter() - debut) * 1000, resultat


def mesurer():
    from django.forms.widgets import ChoiceWidget
    from django.test import Client
    from django.urls import reverse

    from projets.models import Membre

    fiche = plus_grande_fiche()
    projet = fiche.projet
    champs = editeur_pret(fiche)
    caches = sum(champ.is_hidden for champ in champs)
    options = sum(
        len(list(c.field.widget.choices))
        for c in champs
        if isinstance(c.field.widget, ChoiceWidget) and not c.is_hidden
    )

    def mesure_rendu(construire):
        def mesure():
            champs = construire()  # fresh bound fields, as a page has (not timed)
            return temps(lambda: rendre(champs))[0]

        return mesure

    membre = Membre.objects.filter(structure=projet.structure, role=Membre.Role.DIRECTION).first()
    client = Client()
    client.force_login(membre.user)

    def mesure_page(url):
        def mesure():
            duree, reponse = temps(lambda: client.get(url))
            assert reponse.status_code == 200, reponse.status_code
            return duree

        return mesure

    mesures = [
        (
            f"Champs de l'éditeur ({len(champs)} dont {caches} cachés, {options} options)",
            chronometrer(mesure_rendu(lambda: editeur_pret(fiche)), REPETITIONS),
        ),
        (
            "Filtres de la liste des fiches",
            chronometrer(mesure_rendu(lambda: filtre_de_la_liste(projet)), REPETITIONS),
        ),
        (
            "Page de l'éditeur (GET, client de test)",
            chronometrer(
                mesure_page(reverse("actions:modifier", args=[fiche.pk])), REPETITIONS_PAGE
            ),
        ),
        (
            "Page de la liste des fiches (GET, client de test)",
            chronometrer(mesure_page(reverse("actions:liste", args=[projet.pk])), REPETITIONS_PAGE),
        ),
    ]
    return fiche, mesures


def main():
    with tempfile.TemporaryDirectory() as dossier:
        os.environ["ALLOWED_HOSTS"] = "testserver"
        preparer_django(Path(dossier) / "bench-rendu.sqlite3")
        from django.core.management import call_command

        from centresocial.demo import charger_demo

        print("Préparation de la démo…", flush=True)
        call_command("migrate", verbosity=0)
        charger_demo(comptes_demo=False)
        fiche, mesures = mesurer()
    print(f"\nRendu des champs : rapide (Python) ou gabarits (crispy-forms) — fiche {fiche}")
    print(f"{'':<54} {'gabarits':>9} {'rapide':>9} {'gain':>18}")
    for libelle, medianes in mesures:
        gabarits, rapide = medianes["gabarits"], medianes["rapide"]
        gain = gabarits - rapide
        print(
            f"{libelle:<54} {gabarits:>6.1f} ms {rapide:>6.1f} ms "
            f"{gain:>6.1f} ms ({gain / gabarits:>4.0%})"
        )
    print(
        f"\nMédianes de {REPETITIONS} rendus des champs et de {REPETITIONS_PAGE} pages par "
        f"manière, en alternance (machine à {os.cpu_count()} cœurs ; "
        f"charge actuelle {os.getloadavg()[0]:.1f})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
