"""The editor's fields rendered in Python (centresocial.lib.formulaires.ChampBootstrap, RenduRapide) give the
HTML crispy-forms and Django's widget templates give: same elements, attributes and text, with
or without errors. Catches a drift when crispy-bootstrap5 or Django change their templates."""

from html.parser import HTMLParser

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.forms.boundfield import BoundField

from actions.forms import Editeur
from actions.models import FicheAction, Moyen
from centresocial.lib.formulaires import Rendu, RenduRapide
from tests.factories import (
    AnneeActionFactory,
    FicheObjectifFactory,
    IndicateurFactory,
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
    Moyen.objects.create(fiche=fiche, type="humain", libelle="1 ADS", quantite=1)
    PartenariatActionFactory(
        fiche=fiche, partenaire=PartenaireFactory(structure=fiche.projet.structure)
    )
    return FicheAction.objects.get(pk=fiche.pk)


def test_meme_html_que_crispy_forms(fiche, monkeypatch):
    for editeur in [Editeur(fiche), Editeur(fiche, {"titre": "", "statut": "inconnu"})]:
        editeur.is_valid() if editeur.form.is_bound else None
        for champ in champs(editeur):
            assert jetons(champ.as_field_group()) == jetons(par_les_templates(champ, monkeypatch))
            with monkeypatch.context() as m:
                m.setattr(RenduRapide, "render", Rendu.render)
                attendu = str(BoundField(champ.form, champ.field, champ.name))
            assert str(champ) == attendu, champ.html_name


def test_les_erreurs_sont_montrees(fiche):
    editeur = Editeur(fiche, {"titre": ""})
    editeur.is_valid()
    html = editeur.form["titre"].as_field_group()
    assert 'class="textinput form-control is-invalid"' in html
    assert "invalid-feedback" in html and "Ce champ est obligatoire." in html
