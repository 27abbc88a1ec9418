"""Fields rendered in Python (centresocial.lib.formulaires: ChampBootstrap, RenduRapide) give the
HTML crispy-forms and Django's widget templates give: same elements, attributes and text, with
or without errors, for the fiche editor and for the filters of the fiches list (django-filter's
form, through rendu_rapide). Catches a drift when crispy-bootstrap5, Django or django-filter
change their templates or widgets."""

from html.parser import HTMLParser

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.contrib.auth import get_user_model
from django.forms.boundfield import BoundField
from django.urls import reverse

from actions.filters import FicheActionFilter
from actions.forms import Editeur
from actions.models import FicheAction
from centresocial.lib.formulaires import ChampBootstrap, Rendu, RenduRapide, rendu_rapide
from partenaires.models import Partenaire
from projets.models import ObjectifGeneral
from tests.factories import (
    AnneeActionFactory,
    FicheObjectifFactory,
    IndicateurFactory,
    MoyenFactory,
    ObjectifGeneralFactory,
    PartenaireFactory,
    PartenariatActionFactory,
)

pytestmark = pytest.mark.django_db


class Jetons(HTMLParser):
    """Tags with their attributes (in any order) and text, whitespace collapsed."""

    def __init__(self):
        super().__init__()
        self.jetons = []

    def handle_starttag(self, tag, attrs):
        self.jetons.append((tag, sorted((k, " ".join((v or "").split())) for k, v in attrs)))

    def handle_endtag(self, tag):
        self.jetons.append(f"/{tag}")

    def handle_data(self, texte):
        if texte.split():
            self.jetons.append(" ".join(texte.split()))


def jetons(html):
    lecteur = Jetons()
    lecteur.feed(str(html))
    return lecteur.jetons


def par_les_templates(champ, monkeypatch):
    """The field as crispy-forms lays it out, its widget through Django's templates."""
    with monkeypatch.context() as m:
        m.setattr(RenduRapide, "render", Rendu.render)
        return as_crispy_field(BoundField(champ.form, champ.field, champ.name))


def verifier_meme_html(champs, monkeypatch):
    """Each field, laid out and as a bare widget, as the templates would give it."""
    for champ in champs:
        assert isinstance(champ, ChampBootstrap), champ.html_name
        attendu = jetons(par_les_templates(champ, monkeypatch))
        assert jetons(champ.as_field_group()) == attendu, champ.html_name
        with monkeypatch.context() as m:
            m.setattr(RenduRapide, "render", Rendu.render)
            attendu = str(BoundField(champ.form, champ.field, champ.name))
        assert str(champ) == attendu, champ.html_name


def champs(editeur):
    tous = list(editeur.form)
    for _, _, fs in editeur.formsets:
        for formulaire in [*fs.forms, fs.empty_form]:
            tous += list(formulaire)
    return tous


@pytest.fixture
def fiche(monde):
    fiche = monde.fiche_1a
    objectif = ObjectifGeneralFactory(enjeu__axe=fiche.axe, titre="L'accès aux droits")
    FicheObjectifFactory(fiche=fiche, objectif=objectif, principal=True)
    AnneeActionFactory(fiche=fiche, annee=2025)
    IndicateurFactory(fiche=fiche, libelle="Nombre de familles <b>")
    MoyenFactory(fiche=fiche, type="humain", libelle="1 ADS", quantite=1)
    PartenariatActionFactory(
        fiche=fiche, partenaire=PartenaireFactory(structure=fiche.projet.structure)
    )
    return FicheAction.objects.get(pk=fiche.pk)


def test_meme_html_que_crispy_forms(fiche, monkeypatch):
    for editeur in [Editeur(fiche), Editeur(fiche, {"titre": "", "statut": "inconnu"})]:
        editeur.is_valid() if editeur.form.is_bound else None
        verifier_meme_html(champs(editeur), monkeypatch)


def test_les_erreurs_sont_montrees(fiche):
    editeur = Editeur(fiche, {"titre": ""})
    editeur.is_valid()
    html = editeur.form["titre"].as_field_group()
    assert 'class="textinput form-control is-invalid"' in html
    assert "invalid-feedback" in html and "Ce champ est obligatoire." in html


# --- the filters of the fiches list -------------------------------------------------------


def formulaire_de_la_liste(client, projet, params):
    """The filter form as the list view builds it (always bound: to request.GET)."""
    reponse = client.get(reverse("actions:liste", args=[projet.pk]), params)
    assert reponse.status_code == 200
    return reponse.context["filtre"].form


def test_filtres_de_la_liste_meme_html_que_crispy_forms(client, demo, monkeypatch):
    client.force_login(get_user_model().objects.get(username="equipe"))
    referent = get_user_model().objects.filter(adhesions__structure=demo.structure).first()
    choisis = {
        "q": "ateliers <b> & « parents »",
        "axe": demo.axes.last().pk,
        "enjeu": demo.enjeux.last().pk,
        "objectif": ObjectifGeneral.objects.filter(axe__projet=demo).last().pk,
        "statut_plan": FicheAction.StatutPlan.NOUVELLE,
        "statut": FicheAction.Statut.EN_COURS,
        "projet_familles": "true",
        "projet_jeunesse": "false",
        "partenaire": Partenaire.objects.filter(structure=demo.structure).last().pk,
        "referent": referent.pk,
        "annee": demo.annees[-1],
        "tri": "-titre",
    }
    autre_structure = Partenaire.objects.exclude(structure=demo.structure).first()
    invalides = {
        "axe": "abc",
        "enjeu": "999999",
        "objectif": "-1",
        "statut_plan": "ZZ",
        "statut": "perdu",
        "projet_familles": "peut-être",
        "partenaire": autre_structure.pk,
        "referent": "0",
        "annee": "1999",
        "tri": "n_importe_quoi",
    }

    vide = formulaire_de_la_liste(client, demo, {})
    rempli = formulaire_de_la_liste(client, demo, choisis)
    errone = formulaire_de_la_liste(client, demo, invalides)
    non_lie = rendu_rapide(FicheActionFilter(projet=demo).form)

    assert vide.is_bound and not vide.errors and not non_lie.is_bound
    assert rempli.is_valid() and rempli.cleaned_data["statut"] == "en_cours"
    # Every invalid value has its message (a Oui/Non that is neither is read as « Indifférent »).
    assert set(errone.errors) == set(invalides) - {"projet_familles"}
    for formulaire in [vide, rempli, errone, non_lie]:
        assert {champ.name for champ in formulaire} == set(choisis)
        verifier_meme_html(formulaire, monkeypatch)
    assert "selected" in rempli["partenaire"].as_field_group()
