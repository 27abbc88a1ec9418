"""The history of a projet and of a fiche names the rows a change links to (a person, an axe, a
partner…), where the log itself only keeps their ids."""

import inspect

import factory
import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import escape

from actions.models import PartenariatAction
from centresocial.lib.historique import nom_affiche, presenter
from tests import factories
from tests.factories import (
    AxeFactory,
    EnjeuFactory,
    MembreFactory,
    ObjectifGeneralFactory,
    PartenaireFactory,
)

pytestmark = pytest.mark.django_db

FABRIQUES = {
    f._meta.model: f
    for _, f in inspect.getmembers(factories, inspect.isclass)
    if issubclass(f, factory.django.DjangoModelFactory) and f._meta.model is not None
}


def texte_historique(client, url):
    page = client.get(url)
    assert page.status_code == 200
    html = page.text
    return html[html.index("historique") :]


def test_la_fiche_et_le_projet_nomment_le_referent_l_axe_et_le_partenaire(client, monde):
    fiche = monde.fiche_1a
    nadia = MembreFactory(
        structure=monde.structure_1, user__first_name="Nadia", user__last_name="Saïdi"
    ).user
    fiche.referent = nadia
    fiche.save()
    autre_axe = AxeFactory(projet=monde.projet_1, ordre=2, titre="Vivre ensemble")
    fiche.deplacer_vers(autre_axe)
    partenariat = PartenariatAction.objects.get(fiche=fiche)
    partenariat.partenaire = PartenaireFactory(structure=monde.structure_1, nom="Ludothèque")
    partenariat.save()
    client.force_login(monde.equipe_1)

    for url in (
        reverse("actions:detail", args=[fiche.pk]),
        reverse("projets:historique", args=[monde.projet_1.pk]),
    ):
        html = texte_historique(client, url)
        assert f"<del>(vide)</del> → <ins>{escape('Nadia Saïdi')}</ins>" in html
        assert f"→ <ins>{escape('Axe 2 : Vivre ensemble')}</ins>" in html
        assert f"<del>Mission locale</del> → <ins>{escape('Ludothèque')}</ins>" in html
        assert f"<ins>{nadia.pk}</ins>" not in html
        assert f"<ins>{autre_axe.pk}</ins>" not in html


def test_une_ligne_supprimee_depuis_est_dite_telle(client, monde):
    objectif = ObjectifGeneralFactory(enjeu__axe=monde.axe_1)
    ancien, nouveau = objectif.enjeu, EnjeuFactory(axe=monde.axe_1, titre="Se loger")
    objectif.enjeu = nouveau
    objectif.save()
    ancien_pk = ancien.pk
    ancien.objectifs.all().delete()
    ancien.delete()
    client.force_login(monde.direction_1)
    html = texte_historique(client, reverse("projets:historique", args=[monde.projet_1.pk]))
    assert f"<del>enjeu n° {ancien_pk}, qui n&#x27;existe plus</del>" in html
    assert f"<ins>{escape(str(nouveau))}</ins>" in html


def liens_du_journal():
    """Every link to another row of every model whose changes the history shows."""
    return sorted(
        (
            (modele, champ)
            for modele in auditlog.get_models()
            for champ in modele._meta.concrete_fields
            if champ.many_to_one or champ.one_to_one
        ),
        key=lambda lien: (lien[0].__name__, lien[1].name),
    )


@pytest.mark.parametrize(
    ("modele", "champ"),
    liens_du_journal(),
    ids=lambda x: getattr(x, "__name__", None) or x.name,
)
def test_chaque_lien_du_journal_s_affiche_par_son_nom(modele, champ):
    cible = champ.related_model
    avant, apres = FABRIQUES[cible](), FABRIQUES[cible]()
    entree = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(modele),
        object_pk="1",
        object_id=1,
        object_repr="une ligne",
        action=LogEntry.Action.UPDATE,
        changes={champ.name: [str(avant.pk), str(apres.pk)]},
    )
    (changement,) = presenter([entree])[0].changements
    assert (changement.avant, changement.apres) == (nom_affiche(avant), nom_affiche(apres))
    assert changement.apres != str(apres.pk)


def test_les_noms_se_lisent_en_un_nombre_borne_de_requetes(
    client, monde, django_assert_max_num_queries
):
    fiche = monde.fiche_1a
    client.force_login(monde.equipe_1)
    url = reverse("projets:historique", args=[monde.projet_1.pk])

    def changer_de_referent(fois):
        for _ in range(fois):
            fiche.referent = MembreFactory(structure=monde.structure_1).user
            fiche.save()
            fiche.axe = AxeFactory(projet=monde.projet_1)
            fiche.save()

    changer_de_referent(2)
    with django_assert_max_num_queries(9) as avant:
        client.get(url)
    changer_de_referent(10)
    with django_assert_max_num_queries(len(avant.captured_queries)):
        assert client.get(url).status_code == 200
